/**
 * Text that is really text: what a person typed, normalised (NFC) so that the same words are stored, indexed and
 * searched as the same code points, and refused when it carries what no person means to write: control characters,
 * bidirectional overrides (which make a name read differently from how it is stored), lone surrogates (which JSON
 * payloads and the database each store their own way, so a case stops matching its own name), or nothing but
 * invisible characters.
 */
import { type Message, message } from './messages';

export type TextProblem = 'control' | 'bidi' | 'surrogate' | 'invisible';

// Without the u flag, so that a surrogate is matched as the code unit it is.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;
const INVISIBLE = /^[\s\u200b-\u200d\u2060\ufeff\u00ad\u180e]*$/u;

/**
 * What is wrong with the text, without changing it: plain pattern tests, so a workflow's validator may run it and
 * give the same answer on every replay. Line breaks and tabs are text; blank text is for the caller.
 */
export function textProblem(value: string): TextProblem | undefined {
  if (LONE_SURROGATE.test(value)) return 'surrogate';
  if (CONTROL.test(value)) return 'control';
  if (BIDI.test(value)) return 'bidi';
  const trimmed = value.trim();
  if (trimmed.length > 0 && INVISIBLE.test(trimmed)) return 'invisible';
  return undefined;
}

/** The text normalised, or what is wrong with it. Line breaks and tabs are text; an empty string is for the caller. */
export function readableText(value: string): { text: string } | { problem: TextProblem } {
  const problem = textProblem(value);
  return problem ? { problem } : { text: value.normalize('NFC').trim() };
}

/** The refusal of a field's text, naming the field (`refusals:field.*`), for the reader's language. */
export const textMistake = (problem: TextProblem, field: string): Message =>
  message(`refusals:text.${problem}`, { field });

/** A field's text normalised, or its refusal as a Message: what intake and every form run on what a person typed. */
export function typedText(value: string, field: string): { text: string } | { mistake: Message } {
  const checked = readableText(value);
  return 'problem' in checked ? { mistake: textMistake(checked.problem, field) } : checked;
}

/**
 * Every string in a JSON value normalised (NFC), nothing else changed: for request bodies passed on whole, so the
 * workflow keeps the same code points as everything that reads it later. Refusing bad text is the checks' work.
 */
export function nfcStrings(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC');
  if (Array.isArray(value)) return value.map(nfcStrings);
  // Plain objects only (a parsed body, with or without a prototype): a Buffer or a Date is passed on as it is.
  const prototype: unknown = value && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (prototype === Object.prototype || prototype === null) {
    return Object.fromEntries(Object.entries(value as object).map(([name, child]) => [name, nfcStrings(child)]));
  }
  return value;
}
