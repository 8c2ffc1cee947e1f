/**
 * An API operation as one declaration: its method and path, what it takes (path parameters, query, JSON body) and
 * what it answers, each a zod schema. The routes read requests with the same schemas (contract/read.ts), and
 * contract/document.ts makes /api/openapi.json from the list, so what is described is what is enforced.
 */
import { z } from 'zod';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Answer {
  description: string;
  /** The JSON body of the answer, when it has one worth describing. */
  body?: z.ZodType;
  /** Other media types, as OpenAPI writes them (a PDF, a spreadsheet). */
  content?: Record<string, { schema: object }>;
  headers?: Record<string, object>;
}

export interface Operation {
  method: Method;
  /** In OpenAPI's form: `/api/cases/{number}`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Open to anyone: no sign-in. */
  public?: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A request body that is not JSON (an uploaded sheet), as OpenAPI writes it. */
  upload?: Record<string, { schema: object }>;
  answers: Record<string, Answer>;
}

/** The error every refusal answers with: a message, a refusal's code, and a message per field. */
export const ErrorBody = z
  .object({
    error: z.string(),
    code: z
      .string()
      .optional()
      .meta({
        description:
          'A refusal of the workflow: its key in the `refusals` message catalogue, the same in every language, for ' +
          'scripts to branch on.',
        example: 'refusals:task.claimedByOther',
      }),
    errors: z
      .record(z.string(), z.string())
      .optional()
      .meta({ example: { knowledge: 'must be a number from 0 to 100' } }),
  })
  .meta({ id: 'Error' });

const refusal = (description: string): Answer => ({ description, body: ErrorBody });

/** The refusals most routes share, by status. */
export const REFUSALS = {
  400: refusal('The body cannot be read, or is not a JSON object: `error` says why.'),
  401: refusal('Not signed in.'),
  403: refusal('Signed in, but not allowed (a refusal of the workflow, or a rule of the inbox).'),
  404: refusal('No such case or task, or not one you may see.'),
  409: refusal('The task or case is closed, or claimed by someone else.'),
  422: refusal('Invalid input: `errors` carries a message per field.'),
  429: refusal('Too many requests from this address; see Retry-After.'),
  503: refusal('A service this answer needs is not reachable; nothing was changed.'),
} as const;

/** The refusals named by status, for an operation's `answers`. */
export const refusals = (...statuses: (keyof typeof REFUSALS)[]): Record<string, Answer> =>
  Object.fromEntries(statuses.map((status) => [String(status), REFUSALS[status]]));

/** An answer with a JSON body. */
export const answer = (description: string, body?: z.ZodType): Answer => ({ description, body });

/** A record's change history, newest first, read from the audit chain (inbox-ui/recordHistory.ts). */
export const RecordHistoryAnswer = z
  .looseObject({
    history: z.array(
      z
        .looseObject({
          at: z.string(),
          by: z.string(),
          action: z.string(),
          changes: z.array(z.looseObject({ field: z.string(), before: z.string(), after: z.string() }).partial()),
          note: z.string(),
        })
        .partial(),
    ),
  })
  .partial();
