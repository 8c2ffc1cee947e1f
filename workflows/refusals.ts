/**
 * How validators refuse: a non-retryable ApplicationFailure whose type (a RefusalType) the API maps to an HTTP status,
 * and the checks that cases and investigations share. Throwing in a validator rejects an update before it is written.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { type Actor, RefusalType } from './definitions';

export const MAX_TEXT = 2000;

export const refuse = (type: RefusalType, message: string): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};

/** A comment or a reason: text of at most MAX_TEXT characters; a reason must not be blank. */
export function checkText(field: string, value: unknown, required: boolean): void {
  if (value === undefined || value === null) {
    if (required) refuse(RefusalType.InvalidInput, `${field}: a reason is required.`);
    return;
  }
  if (typeof value !== 'string') return refuse(RefusalType.InvalidInput, `${field}: must be text.`);
  if (required && !value.trim()) refuse(RefusalType.InvalidInput, `${field}: a reason is required.`);
  if (value.length > MAX_TEXT) refuse(RefusalType.InvalidInput, `${field}: at most ${MAX_TEXT} characters.`);
}

export function checkActorShape(cmd: { actor?: Actor } | undefined): void {
  if (!cmd?.actor || typeof cmd.actor.id !== 'string' || !Array.isArray(cmd.actor.groups)) {
    refuse(RefusalType.InvalidInput, 'actor: an id and a list of groups are required.');
  }
}

/** Workflow time inside a workflow (deterministic, replayed from history); the wall clock in a client. */
export function now(): string {
  return new Date().toISOString();
}
