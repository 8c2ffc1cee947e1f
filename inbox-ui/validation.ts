/**
 * Validation at the edge: request bodies and queries become typed commands here, or a 422 that names every field
 * that is wrong, before any workflow is called. Pages show the messages beside the fields; the API returns them as
 * `{ error, errors: { field: message } }`.
 */
import type { TFunction } from 'i18next';
import { typedText } from '../domain/text';
import { messageText } from './messageText';
import { HttpError } from './temporalErrors';

export interface FieldErrors {
  readonly messages: Record<string, string>;
  /** The reader's words, for the messages the checks below add. */
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

const field = (source: unknown, name: string): unknown =>
  typeof source === 'object' && source !== null ? (source as Record<string, unknown>)[name] : undefined;

/**
 * What a person typed, normalised (NFC) and trimmed, or refused naming the field when it holds what no person means to
 * write (domain/text.ts), so a workflow, a table and a search all see the same code points.
 */
function typed(value: string, name: string, errors: FieldErrors): string | undefined {
  const checked = typedText(value, name);
  if ('mistake' in checked) {
    errors.add(name, messageText(errors.t, checked.mistake));
    return undefined;
  }
  return checked.text;
}

/**
 * A required string, at most `max` characters: text as people type it (see `typed`), or, told not to trim, a secret
 * taken exactly as sent (a password is compared, never shown, stored or searched).
 */
export function text(
  source: unknown,
  name: string,
  errors: FieldErrors,
  { max = 2000, trim = true }: { max?: number; trim?: boolean } = {},
): string | undefined {
  const value = field(source, name);
  if (typeof value !== 'string' || !(trim ? value.trim() : value)) {
    errors.add(name, errors.t('common:validation.required'));
    return undefined;
  }
  const result = trim ? typed(value, name, errors) : value;
  if (result === undefined) return undefined;
  if (result.length > max) {
    errors.add(name, errors.t('common:validation.tooLong', { max }));
    return undefined;
  }
  return result;
}

/** An optional string, as people type it (see `typed`): blank is absent. */
export function optionalText(source: unknown, name: string, errors: FieldErrors, max = 2000): string | undefined {
  const value = field(source, name);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    errors.add(name, errors.t('common:validation.text'));
    return undefined;
  }
  const result = typed(value, name, errors);
  if (result !== undefined && result.length > max) errors.add(name, errors.t('common:validation.tooLong', { max }));
  return result || undefined;
}

/**
 * A number as a form or a query writes it: decimal digits, a minus sign before them, a decimal point between them when
 * fractions are allowed. Nothing else: not `0x3`, `3e0`, ` 3`, `+3`, `03` or `Infinity`, which `Number` would read,
 * so a number has one spelling and a fuzzer's oddities are refused rather than guessed at.
 */
export function decimal(value: string, fractions: boolean): number | undefined {
  return (fractions ? /^-?(0|[1-9]\d*)(\.\d+)?$/ : /^-?(0|[1-9]\d*)$/).test(value) ? Number(value) : undefined;
}

/** An optional whole number in [min, max]; form fields and queries arrive as strings, read as decimals. */
export const optionalInteger = (source: unknown, name: string, errors: FieldErrors, range: Range) =>
  optionalNumeric(source, name, errors, range, 'whole number');

/** An optional number in [min, max], fractions allowed (a score of 82.5). */
export const optionalNumber = (source: unknown, name: string, errors: FieldErrors, range: Range) =>
  optionalNumeric(source, name, errors, range, 'number');

interface Range {
  min: number;
  max: number;
}

function optionalNumeric(
  source: unknown,
  name: string,
  errors: FieldErrors,
  { min, max }: Range,
  kind: 'whole number' | 'number',
): number | undefined {
  const value = field(source, name);
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' ? decimal(value, kind === 'number') : value;
  const valid = kind === 'whole number' ? Number.isInteger(number) : Number.isFinite(number);
  if (typeof number !== 'number' || !valid || number < min || number > max) {
    errors.add(
      name,
      errors.t(kind === 'whole number' ? 'common:validation.wholeNumber' : 'common:validation.number', { min, max }),
    );
    return undefined;
  }
  return number;
}

export function optionalChoice<T extends string>(
  source: unknown,
  name: string,
  choices: readonly T[],
  errors: FieldErrors,
): T | undefined {
  const value = field(source, name);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    errors.add(name, errors.t('common:validation.choice', { choices: choices.join(', ') }));
    return undefined;
  }
  return value as T;
}
