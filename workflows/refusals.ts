/**
 * How validators refuse: a non-retryable ApplicationFailure whose type (a RefusalType) the API maps to an HTTP status,
 * and the checks that cases and investigations share. Throwing in a validator rejects an update before it is written.
 *
 * A refusal says why as a Message (a key of the `refusals` catalogue and its values, in `details[0]`), which the edge
 * puts into its reader's language and names (inbox-ui/temporalErrors.ts). The failure's message, for logs and for
 * anything read without a translator, is the same Message in English (domain/englishText.ts), with codes where the
 * edge shows names: the sentence is written once, in the catalogue. A refusal about several fields carries a Message
 * per field in `details[1]`.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { englishText } from '../domain/englishText';
import { type Message, message } from '../domain/messages';
import { textMistake, textProblem } from '../domain/text';
import { type Actor, RefusalType } from './definitions';

export const MAX_TEXT = 2000;

export const refuse = (type: RefusalType, said: Message): never => {
  throw ApplicationFailure.create({ type, message: englishText(said), details: [said], nonRetryable: true });
};

/**
 * Refuses the fields at fault, if any, all at once, by field. The English message says how many, then names each
 * field before its problem.
 */
export function refuseFields(errors: Record<string, Message>): void {
  const entries = Object.entries(errors);
  if (entries.length === 0) return;
  const said = message('refusals:fields.invalid', { count: entries.length });
  // A problem that names its field itself (a text rule's) is not named twice.
  const lines = entries.map(([field, error]) =>
    error.values?.field === undefined
      ? englishText(message('refusals:fields.line', { field, text: englishText(error) }))
      : englishText(error),
  );
  throw ApplicationFailure.create({
    type: RefusalType.InvalidInput,
    message: [englishText(said), ...lines].join(' '),
    details: [said, errors],
    nonRetryable: true,
  });
}

/** A comment or a reason: text of at most MAX_TEXT characters; a reason must not be blank. */
export function checkText(field: string, value: unknown, required: boolean): void {
  const refuseBlank = () => refuse(RefusalType.InvalidInput, message('refusals:text.required', { field }));
  if (value === undefined || value === null) {
    if (required) refuseBlank();
    return;
  }
  if (typeof value !== 'string') {
    return refuse(RefusalType.InvalidInput, message('refusals:text.notText', { field }));
  }
  if (required && !value.trim()) refuseBlank();
  if (value.length > MAX_TEXT) {
    refuse(RefusalType.InvalidInput, message('refusals:text.tooLong', { field, max: MAX_TEXT }));
  }
  // Text no person means to write (domain/text.ts), from a client that skipped the web app's check.
  const problem = textProblem(value);
  if (problem) refuse(RefusalType.InvalidInput, textMistake(problem, field));
}

export function checkActorShape(cmd: { actor?: Actor } | undefined): void {
  if (!cmd?.actor || typeof cmd.actor.id !== 'string' || !Array.isArray(cmd.actor.groups)) {
    refuse(RefusalType.InvalidInput, message('refusals:actor.missing'));
  }
}

/** Workflow time inside a workflow (deterministic, replayed from history); the wall clock in a client. */
export function now(): string {
  return new Date().toISOString();
}
