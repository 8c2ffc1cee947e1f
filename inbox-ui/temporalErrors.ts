/**
 * One place that turns Temporal's errors into HTTP answers: a missing case is a 404, a refused update says why with
 * the status its refusal type calls for, anything else is a 500 without internals.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { SessionRefused } from '../runtime/sessions';
import { RefusalType } from '../workflows/definitions';

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

export function httpStatusFor(error: unknown): { status: number; message: string; fields?: Record<string, string> } {
  if (error instanceof HttpError) return { status: error.status, message: error.message, fields: error.fields };
  if (error instanceof SessionRefused) {
    return { status: STATUS_BY_REFUSAL[error.type] ?? 422, message: error.message, fields: error.fields };
  }
  // express.json's parse errors: the client sent something that is not JSON.
  if (isBodyParserError(error))
    return { status: error.status, message: `The request body is not valid: ${error.message}` };
  if (error instanceof WorkflowNotFoundError) return { status: 404, message: 'No such case.' };
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    return { status: STATUS_BY_REFUSAL[error.cause.type ?? ''] ?? 422, message: error.cause.message };
  }
  return { status: 500, message: 'Something went wrong; the error was logged.' };
}

function isBodyParserError(error: unknown): error is { status: number; message: string } {
  const candidate = error as { type?: unknown; status?: unknown } | null;
  return (
    typeof candidate?.type === 'string' &&
    typeof candidate.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500
  );
}
