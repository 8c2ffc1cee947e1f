/**
 * What the declarations of inbox-ui/contract/ cannot say: the rules a request is held to after it is read, because
 * they need the database or the directory (a person of the task's group, a station in the reader's scope). They add
 * to the same answer, a 422 that names every field that is wrong, before any workflow is called.
 */
import type { TFunction } from 'i18next';
import { HttpError } from './temporalErrors';

export interface FieldErrors {
  readonly messages: Record<string, string>;
  /** The reader's words, for the messages the rules add. */
  readonly t: TFunction;
  add(field: string, message: string): void;
  /** Throws a 422 carrying every message when there is any. */
  throwIfAny(summary?: string): void;
}

export function fieldErrors(t: TFunction): FieldErrors {
  const messages: Record<string, string> = {};
  return {
    messages,
    t,
    add(field, message) {
      messages[field] ??= message;
    },
    throwIfAny(summary = t('common:validation.summary')) {
      if (Object.keys(messages).length > 0) throw new HttpError(422, summary, { fields: messages });
    },
  };
}

/**
 * A number as a form or a query writes it: decimal digits, a minus sign before them, a decimal point between them when
 * fractions are allowed. Nothing else: not `0x3`, `3e0`, ` 3`, `+3`, `03` or `Infinity`, which `Number` would read,
 * so a number has one spelling and a fuzzer's oddities are refused rather than guessed at.
 */
export function decimal(value: string, fractions: boolean): number | undefined {
  return (fractions ? /^-?(0|[1-9]\d*)(\.\d+)?$/ : /^-?(0|[1-9]\d*)$/).test(value) ? Number(value) : undefined;
}
