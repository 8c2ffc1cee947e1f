/**
 * A case and what is done with it outside its tasks (inbox-ui/routes/cases.ts, printing.ts, comments.ts, intake.ts):
 * reading it, withdrawing it, its comments, its certificate's reprint and the printers' batch, taking in an
 * application and handing in its documents' files (routes/documents.ts); and the public side, verifying a certificate (routes/verify.ts) and this document itself. The bodies
 * the forms and their API twins read, and the operations /api/openapi.json describes for them.
 */
import { z } from 'zod';
import type { IdType } from '../../domain/idNumber';
import { DOCUMENT_MEDIA_TYPES, MAX_DOCUMENT_BYTES, MAX_DOCUMENT_SIZE } from '../../records/documents';
import { CaseBody, CaseParams, TaskRefItem } from './shapes';
import { say, text } from './fields';
import { answer, ErrorBody, type Operation, refusals } from './operation';

/** How many certificates one ZIP may hold: a printer's batch, not the province's year. */
export const BATCH_MAX = 100;
/** The longest comment, in characters. */
export const MAX_COMMENT = 2000;

export const WithdrawBody = z.object({ reason: text(2000) });
export type Withdraw = z.output<typeof WithdrawBody>;

export const ReprintBody = z.object({
  reason: text(500),
  requestId: z
    .string({ error: say('case:reprint.requestId') })
    .regex(/^[A-Za-z0-9-]{8,64}$/, { error: say('case:reprint.requestId') })
    .optional()
    .meta({ description: 'Makes a repeated request one reprint in the audit log (the case page sends one).' }),
});
export type Reprint = z.output<typeof ReprintBody>;

export const PrintBatchBody = z.object({
  tasks: z
    .array(TaskRefItem, { error: say('case:printBatch.count', { max: BATCH_MAX }) })
    .min(1, { error: say('case:printBatch.count', { max: BATCH_MAX }) })
    .max(BATCH_MAX, { error: say('case:printBatch.count', { max: BATCH_MAX }) }),
});
export type PrintBatch = z.output<typeof PrintBatchBody>;

export const CommentBody = z.object({
  body: text(MAX_COMMENT),
  commentId: z
    .string({ error: say('comments:badId') })
    .regex(/^[A-Za-z0-9_-]{16,64}$/, { error: say('comments:badId') })
    .optional()
    .meta({ description: 'The same id sent twice writes one comment (the case page sends one).' }),
});
export type Comment = z.output<typeof CommentBody>;

/**
 * An application as a client sends it. The document shows its shape; its content is judged by the intake's own
 * validator (domain/validateApplication.ts), which names every wrong field at once in its own words, so the route
 * hands the body on whole rather than refusing it here first.
 */
export const ApplicationBody = z
  .object({
    applicationNumber: z
      .string()
      .regex(/^[A-Z0-9][A-Z0-9-]{5,39}$/)
      .optional(),
    stationId: z.string().optional(),
    trainingInstitutionId: z.string().optional(),
    candidate: z.object({
      name: text(100),
      idType: z.enum(['resident-id', 'passport', 'residence-permit'] satisfies IdType[]),
      idNumber: z.string(),
      email: z.string().meta({ format: 'email' }).optional(),
      phone: z.string().optional(),
    }),
    occupation: z.string().meta({ description: 'A code from the occupation catalogue.' }),
    specialty: z.string().optional(),
    level: z.number().int().min(1).max(5),
    evidence: z.looseObject({
      employedInOccupation: z.unknown(),
      continuousWorkYears: z.unknown(),
      yearsInOccupation: z.unknown(),
      newLabourForce: z.unknown(),
      heldCertificates: z.unknown(),
    }),
    documents: z.array(z.object({ kind: z.string(), reference: z.string() })),
  })
  .meta({
    id: 'Application',
    description:
      'What the station receives (domain/application.ts). stationId defaults to your station; guidanceCenterId and ' +
      'departmentId are your province’s (naming others is refused); applicationNumber is generated when absent ' +
      '(send it to make a retry safe).',
  });

/** `n` digits, not all zero, as a pattern (a certificate's serial starts at 1). */
const nonZeroDigits = (n: number) =>
  `(?:${Array.from({ length: n }, (_, zeros) => `${'0'.repeat(zeros)}[1-9]\\d{${n - zeros - 1}}`).join('|')})`;

/**
 * Both formats of domain/certificateNumber.ts: the skill level certificate's 22 characters, the legacy 16 digits. The
 * route reads the number itself, to say what is wrong with one that is not (400).
 */
const CertificateParams = z.object({
  number: z
    .string()
    .regex(new RegExp(`^(?:[YS]\\d{14}[1-5]${nonZeroDigits(6)}|\\d{6}[0-4]\\d{3}[1-5]${nonZeroDigits(5)})$`))
    .meta({ example: 'Y123411000001265000001' }),
});

const Verification = z
  .looseObject({
    status: z.enum(['valid', 'revoked', 'invalid-seal', 'unknown']),
    number: z.string(),
    holder: z.looseObject({ name: z.string(), idNumber: z.string() }).partial(),
  })
  .partial();

/** A file handed in: its reference for an application, its hash, its type as judged from its bytes, its size. */
const StoredDocumentBody = z
  .object({
    reference: z.string().regex(/^sha256:[0-9a-f]{64}$/),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    mediaType: z.enum(DOCUMENT_MEDIA_TYPES),
    size: z.number().int().min(1).max(MAX_DOCUMENT_BYTES),
  })
  .meta({ id: 'StoredDocument' });

const refusal = (description: string) => answer(description, ErrorBody);
const pdf = { 'application/pdf': { schema: { type: 'string', format: 'binary' } } };
const zip = { 'application/zip': { schema: { type: 'string', format: 'binary' } } };

export const caseOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/cases/{number}',
    summary: 'A case',
    tags: ['Cases'],
    params: CaseParams,
    answers: { 200: answer('The case.', CaseBody), ...refusals(401, 404) },
  },
  {
    method: 'post',
    path: '/api/cases/{number}/certificate/reprint',
    summary:
      'Print a printed certificate again, with a reason (its printers and administrators); the same document and ' +
      'number, written to the audit log',
    tags: ['Certificates'],
    params: CaseParams,
    body: ReprintBody,
    answers: {
      200: { description: 'The certificate, byte for byte the printed one.', content: pdf },
      ...refusals(401, 403, 404, 409, 422),
    },
  },
  {
    method: 'post',
    path: '/api/tasks/print-batch',
    summary:
      'The certificates of open print tasks, as one ZIP file with one PDF per certificate (the printers); all or none',
    tags: ['Certificates'],
    body: PrintBatchBody,
    answers: {
      200: { description: 'The ZIP file; each PDF is the same bytes as its single download.', content: zip },
      ...refusals(401, 403, 404, 409, 422),
    },
  },
  {
    method: 'post',
    path: '/api/cases/{number}/withdraw',
    summary: "Withdraw an application on the candidate's behalf, with their reason (the receiving station)",
    tags: ['Cases'],
    params: CaseParams,
    body: WithdrawBody,
    answers: {
      200: answer('The case, withdrawn.', z.object({ case: CaseBody })),
      ...refusals(401, 403, 404, 409, 422),
    },
  },
  {
    method: 'get',
    path: '/api/cases/{number}/comments',
    summary: "The case's comment thread, oldest first",
    tags: ['Cases'],
    params: CaseParams,
    answers: {
      200: answer('The comments.', z.looseObject({ comments: z.array(z.looseObject({})) }).partial()),
      ...refusals(401, 404),
    },
  },
  {
    method: 'post',
    path: '/api/cases/{number}/comments',
    summary: 'Add a comment to the case (not a decision); a commentId sent twice writes one comment',
    tags: ['Cases'],
    params: CaseParams,
    body: CommentBody,
    answers: {
      201: answer('The thread with the comment.', z.looseObject({ comments: z.array(z.looseObject({})) }).partial()),
      ...refusals(401, 404),
      409: refusal('The commentId belongs to another comment.'),
      ...refusals(422),
    },
  },
  {
    method: 'post',
    path: '/api/applications',
    summary: 'Take in an application (station clerks)',
    tags: ['Intake'],
    body: ApplicationBody,
    answers: {
      201: answer('The case started; its eligibility result with the explanation.', z.looseObject({})),
      200: answer('This application number was already received; nothing changed.'),
      ...refusals(401, 403, 404),
      409: refusal(
        'A duplicate: the person has an open case in this occupation and level, or holds a valid certificate in ' +
          'it at this level or higher. `errors` has it under `candidate.idNumber`; the case or certificate is ' +
          'named only to someone who may see that case.',
      ),
      ...refusals(422),
    },
  },
  {
    method: 'post',
    path: '/api/documents',
    summary: "Hand in a document's file (station clerks): stored by its SHA-256, for an application to name",
    description:
      'A PDF, JPEG or PNG, judged by its content (not its name), at most ' +
      `${MAX_DOCUMENT_SIZE}, as the multipart field \`file\`. The answer's \`reference\` (\`sha256:<hex>\`) goes in ` +
      "an application's `documents` as any other reference; the same file twice is stored once.",
    tags: ['Intake'],
    upload: {
      'multipart/form-data': {
        // The one part read: any other is refused whole by the multipart reader, so the document allows no other.
        schema: {
          type: 'object',
          required: ['file'],
          properties: { file: { type: 'string', format: 'binary' } },
          additionalProperties: false,
        },
      },
    },
    answers: {
      201: answer('Stored (or already there).', StoredDocumentBody),
      ...refusals(401, 403),
      413: refusal(`The request is far larger than a document may be (${MAX_DOCUMENT_SIZE}); nothing was stored.`),
      422: refusal(
        'No file, or not a PDF, JPEG or PNG by its content, or larger than the limit: `errors.file` says which.',
      ),
    },
  },
  {
    method: 'get',
    path: '/api/certificates/{number}',
    summary: 'Verify a certificate (public)',
    tags: ['Verification'],
    public: true,
    params: CertificateParams,
    answers: {
      200: answer('Valid or revoked, with the holder masked.', Verification),
      400: refusal('Not a certificate number of either format: `error` says why.'),
      404: answer('No certificate of that number was sealed: `status: unknown`.', Verification),
      429: refusal('Too many lookups from this address; see Retry-After.'),
      503: refusal('This server has no seal keys to check signatures with.'),
    },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    tags: ['Meta'],
    public: true,
    answers: { 200: answer('OpenAPI 3.') },
  },
];
