/**
 * Text that is really text: what a person typed, normalised (NFC) so that the same words are stored, indexed and
 * searched as the same code points, and refused when it carries what no person means to write: control characters,
 * bidirectional overrides (which make a name read differently from how it is stored), lone surrogates, or nothing
 * but invisible characters.
 */
export type TextProblem = 'control' | 'bidi' | 'surrogate' | 'invisible';

// Without the u flag, so that a surrogate is matched as the code unit it is.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;
const INVISIBLE = /^[\s\u200b-\u200d\u2060\ufeff\u00ad\u180e]*$/u;

/** The text normalised, or what is wrong with it. Line breaks and tabs are text; an empty string is for the caller. */
export function readableText(value: string): { text: string } | { problem: TextProblem } {
  if (LONE_SURROGATE.test(value)) return { problem: 'surrogate' };
  if (CONTROL.test(value)) return { problem: 'control' };
  if (BIDI.test(value)) return { problem: 'bidi' };
  const text = value.normalize('NFC').trim();
  if (text.length > 0 && INVISIBLE.test(text)) return { problem: 'invisible' };
  return { text };
}
