/**
 * Validation at the edge: request bodies and queries become typed commands here, or a 422 that names every field
 * that is wrong, before any workflow is called. Pages show the messages beside the fields; the API returns them as
 * `{ error, errors: { field: message } }`.
 */
import type { TFunction } from 'i18next';
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

/** A required string, trimmed (unless told not to), at most `max` characters. */
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
  const result = trim ? value.trim() : value;
  if (result.length > max) {
    errors.add(name, errors.t('common:validation.tooLong', { max }));
    return undefined;
  }
  return result;
}

/** An optional string: blank is absent. */
export function optionalText(source: unknown, name: string, errors: FieldErrors, max = 2000): string | undefined {
  const value = field(source, name);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    errors.add(name, errors.t('common:validation.text'));
    return undefined;
  }
  const trimmed = value.trim();
  if (trimmed.length > max) errors.add(name, errors.t('common:validation.tooLong', { max }));
  return trimmed || undefined;
}

/** An optional whole number in [min, max]; form fields arrive as strings and are read as numbers. */
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
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
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
