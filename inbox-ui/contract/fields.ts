/**
 * The fields the API and the forms are made of, declared once with zod: what each accepts, what it becomes, and the
 * message a person reads when it is refused. The OpenAPI document is generated from these same declarations
 * (contract/document.ts), so the document and the server cannot drift apart: a constraint is written once and both
 * enforce and describe it.
 *
 * A refusal's message is a catalogue key with its values (see `say`), put in the reader's language when the request
 * is read (contract/read.ts). The JSON Schema a field shows is its input side: what a client sends, before trimming
 * and normalising.
 */
import { z } from 'zod';
import type { MessageValue } from '../../domain/messages';
import { textProblem } from '../../domain/text';

/** A refusal as zod carries it: the catalogue key and its values, translated by contract/read.ts. */
export const say = (key: string, values?: Record<string, MessageValue>): string => JSON.stringify({ key, values });

/** What domain/text.ts refuses in typed text: control characters and bidirectional overrides. */
const UNWRITTEN =
  '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069\\u200e\\u200f\\u061c';
/** Characters that show nothing: text made only of these (or of spaces) is blank. */
const BLANK = '\\s\\u200b-\\u200d\\u2060\\ufeff\\u00ad\\u180e';

/**
 * The document's pattern for typed text, so a client knows before sending it: at least one visible character, none of
 * what no person means to write; with a minimum length above 1, that many characters once trimmed, as `text` counts.
 * The server's own check is domain/text.ts (which also refuses lone surrogates, which no pattern can say).
 */
export const typedPattern = (minLength = 1) =>
  minLength === 1
    ? `^[^${UNWRITTEN}]*[^${UNWRITTEN}${BLANK}][^${UNWRITTEN}]*$`
    : `^\\s*[^${UNWRITTEN}${BLANK}][^${UNWRITTEN}]{${minLength - 2},}[^${UNWRITTEN}\\s]\\s*$`;

/** Missing, or something other than text where text belongs (a list, from `?q=a&q=b`). */
const notText = (issue: { input?: unknown }) =>
  issue.input === undefined || issue.input === null ? say('common:validation.required') : say('common:validation.text');

/**
 * Text as a person types it, at most `max` characters: normalised (NFC) and trimmed, or refused naming what is wrong
 * (domain/text.ts), so a workflow, a table and a search all see the same code points. Blank is missing.
 */
export function text(max: number, { min = 1 }: { min?: number } = {}) {
  const pattern = new RegExp(typedPattern(min), 'u');
  return z
    .string({ error: notText })
    .max(max, { error: say('common:validation.tooLong', { max }) })
    .superRefine((value, context) => {
      const problem = textProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: say(`refusals:text.${problem}`), input: value });
      else if (!value.trim()) context.addIssue({ code: 'custom', message: say('common:validation.required') });
      else if (value.trim().length < min) {
        context.addIssue({ code: 'custom', message: say('common:validation.tooShort', { min }), input: value });
      }
    })
    .transform((value) => value.normalize('NFC').trim())
    .meta({ pattern: pattern.source, minLength: min });
}

/**
 * A secret taken exactly as sent (a password: compared, never shown, stored or searched), at most `max` long; `missing`
 * says its absence in a form's own words.
 */
export const secret = (max: number, { missing = say('common:validation.required') }: { missing?: string } = {}) =>
  z
    .string({ error: missing })
    .min(1, { error: missing })
    .max(max, { error: say('common:validation.tooLong', { max }) });

const absentIfBlank = <T>(value: T | '' | null | undefined): T | undefined =>
  value === '' || value === null ? undefined : value;

/** A field that may be left out, left blank ('') or sent as null: all three read as absent. */
export const optional = <Schema extends z.ZodType>(schema: Schema) =>
  z
    .union([z.literal(''), schema])
    .nullable()
    .optional()
    .transform(absentIfBlank<z.output<Schema>>);

/** Optional text: blank is absent. */
export const optionalText = (max: number) => optional(text(max));

/** A whole number in [min, max]. Forms and queries send it as decimal digits; contract/read.ts reads those. */
export const wholeNumber = (min: number, max: number) => {
  const refused = say('common:validation.wholeNumber', { min, max });
  return z.number({ error: refused }).int({ error: refused }).min(min, { error: refused }).max(max, { error: refused });
};

/** A number in [min, max], fractions allowed (a score of 82.5). */
export const number = (min: number, max: number) => {
  const refused = say('common:validation.number', { min, max });
  return z.number({ error: refused }).min(min, { error: refused }).max(max, { error: refused });
};

/** One of a fixed list of codes. */
export const choice = <const Codes extends readonly [string, ...string[]]>(codes: Codes) =>
  z.enum(codes, { error: say('common:validation.choice', { choices: codes.join(', ') }) });

/** A page cursor: opaque, only what a previous answer gave (base64url). */
export const cursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,400}$/, { error: say('inbox:errors.cursor') })
  .meta({ description: 'Opaque: the `next` or `previous` of an earlier answer.' });

/** A calendar date (domain/dates.ts: years 1000 to 9999). */
export const isoDate = z
  .string()
  .regex(/^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$/, { error: say('common:validation.date') })
  .meta({ format: 'date' });

/** An id as a path or a form names it: anything non-empty; whether it exists is the route's question. */
export const id = z.string().min(1, { error: say('common:validation.required') });
