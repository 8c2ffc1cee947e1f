/**
 * One place that turns Temporal's errors into HTTP answers: a missing case is a 404, a refused update says why with
 * the status its refusal type calls for, anything else is a 500 without internals.
 *
 * Every answer is in the reader's words. A workflow's refusal carries what it refuses as a Message (`details[0]`, see
 * workflows/refusals.ts), and a Message per field when it is about several (`details[1]`); they are put into the
 * reader's language here, with people and organisations by name when the caller has a directory. A refusal recorded
 * before refusals carried Messages has only its English sentence, which is then shown as it is.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TFunction } from 'i18next';
import { isMessage, type Message } from '../domain/messages';
import type { Db } from '../records/database';
import { SessionRefused } from '../runtime/sessions';
import { RefusalType } from '../workflows/definitions';
import { type Directory, directoryOf } from './names';
import { messageText } from './messageText';

const STATUS_BY_REFUSAL: Record<string, number> = {
  [RefusalType.InvalidInput]: 422,
  [RefusalType.NotFound]: 404,
  [RefusalType.Closed]: 409,
  [RefusalType.Forbidden]: 403,
  [RefusalType.Conflict]: 409,
};

export interface HttpErrorDetails {
  /** A message per field, for a request that failed validation. */
  fields?: Record<string, string>;
  retryAfterSeconds?: number;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: HttpErrorDetails,
  ) {
    super(message);
  }

  get fields(): Record<string, string> | undefined {
    return this.details?.fields;
  }
}

export interface HttpAnswer {
  status: number;
  message: string;
  /** A refusal's catalogue key (`refusals:task.claimedByOther`), the same in every language: scripts branch on it. */
  code?: string;
  /** A message per field. */
  fields?: Record<string, string>;
}

/** What a refusal says, as Messages: itself, and its fields' when it is about several. */
interface Said {
  said: Message;
  fields?: Record<string, Message>;
}

export function httpStatusFor(error: unknown, t: TFunction, directory?: Directory): HttpAnswer {
  if (error instanceof HttpError) return { status: error.status, message: error.message, fields: error.fields };
  if (error instanceof SessionRefused) {
    const words = (said: Message) => messageText(t, said, directory);
    return {
      status: STATUS_BY_REFUSAL[error.type] ?? 422,
      message: words(error.said),
      code: error.said.key,
      ...(error.fields && { fields: mapValues(error.fields, words) }),
    };
  }
  // express.json's parse errors: the client sent something that is not JSON. The parser's own reason is technical
  // and English; the sentence around it is the reader's.
  if (isBodyParserError(error)) {
    return { status: error.status, message: t('common:error.invalidBody', { reason: error.message }) };
  }
  if (error instanceof WorkflowNotFoundError) return { status: 404, message: t('common:error.noSuchCase') };
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const status = STATUS_BY_REFUSAL[error.cause.type ?? ''] ?? 422;
    const said = saidBy(error);
    if (!said) return { status, message: error.cause.message };
    return { status, ...refusalWords(said, t, directory) };
  }
  return { status: 500, message: t('common:error.unexpected') };
}

/**
 * `httpStatusFor` with the directory a refusal's names need, read only for a refusal that carries a Message: for
 * callers that have no directory of their own at hand.
 */
export async function httpAnswerFor(error: unknown, t: TFunction, db: Db): Promise<HttpAnswer> {
  const named = error instanceof SessionRefused || saidBy(error) !== undefined;
  return httpStatusFor(error, t, named ? await directoryOf(db, t) : undefined);
}

/** The Messages a workflow's refusal carries, if it carries them. */
function saidBy(error: unknown): Said | undefined {
  if (!(error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure)) return undefined;
  const [said, fields] = error.cause.details ?? [];
  if (!isMessage(said)) return undefined;
  const perField =
    typeof fields === 'object' && fields !== null && Object.values(fields).every(isMessage)
      ? (fields as Record<string, Message>)
      : undefined;
  return { said, fields: perField };
}

/**
 * A refusal in words. One about several fields answers an update, which has no form beside it to mark: its sentence
 * names each field's problem after saying how many there are.
 */
function refusalWords({ said, fields }: Said, t: TFunction, directory?: Directory): Omit<HttpAnswer, 'status'> {
  const words = (message: Message) => messageText(t, message, directory);
  if (!fields) return { message: words(said), code: said.key };
  const perField = mapValues(fields, words);
  const lines = Object.entries(perField).map(([field, text]) =>
    // A list's item (`marks[2]`) is named by its own message (the ticket it is about), and so is a problem that names
    // its field itself (a text rule's); any other field by its label.
    /\[\d+\]$/.test(field) || fields[field]?.values?.field !== undefined
      ? text
      : t('refusals:fields.line', { field: fieldLabel(t, field), text }),
  );
  return { message: [words(said), ...lines].join(' '), code: said.key, fields: perField };
}

/** A field by its label, as messageText shows a `field` value; a field without one by its own name. */
const fieldLabel = (t: TFunction, field: string): string => t(`refusals:field.${field}`, { defaultValue: field });

const mapValues = <A, B>(record: Record<string, A>, f: (value: A) => B): Record<string, B> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));

function isBodyParserError(error: unknown): error is { status: number; message: string } {
  const candidate = error as { type?: unknown; status?: unknown } | null;
  return (
    typeof candidate?.type === 'string' &&
    typeof candidate.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500
  );
}
