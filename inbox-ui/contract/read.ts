/**
 * Reading a request through its declared schema (contract/fields.ts): a JSON body as it is, a form post or a query
 * string once its text is read as the schema's types, so that a form, a query and a JSON body are held to the same
 * declaration. What is refused becomes one 422 naming every field, in the reader's language, before any workflow is
 * called; the pages show the messages beside the fields, the API returns them as `{ error, errors: { field } }`.
 */
import type { TFunction } from 'i18next';
import { z } from 'zod';
import { isMessage, type Message } from '../../domain/messages';
import { messageText } from '../messageText';
import { HttpError } from '../temporalErrors';
import { decimal } from '../validation';

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
};

/** A JSON body, checked against its schema; the 422 names every field that is wrong. */
export function readJson<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
  t: TFunction,
  summary?: string,
): z.output<Schema> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  throw new HttpError(422, summary ?? t('common:validation.summary'), { fields: fieldMessages(result.error, t) });
}

/**
 * A form post or a query string: every value arrives as text, so a field the schema declares a number is read from
 * its decimal digits (and nothing else: not `0x3`, `3e0` or ` 3`), a boolean from `true`/`false`/`on`, before the same
 * checks a JSON body gets. A JSON body sent to a form's route is read as it is.
 */
export function readForm<Schema extends z.ZodType>(
  schema: Schema,
  source: unknown,
  t: TFunction,
  summary?: string,
): z.output<Schema> {
  return readJson(schema, fromText(schema, source), t, summary);
}

/** A query string, read as a form is (see `readForm`). */
export const readQuery = readForm;

/** A read's result, or the message per field of its 422, for a page that shows them beside its fields. */
export function refusedOr<T>(
  read: () => T,
): { value: T; fields?: undefined } | { value?: undefined; fields: Record<string, string> } {
  try {
    return { value: read() };
  } catch (error) {
    if (error instanceof HttpError && error.status === 422 && error.fields) return { fields: error.fields };
    throw error;
  }
}

const shapes = new WeakMap<z.ZodType, Record<string, JsonSchema>>();

/** The declared type of each top-level field, as the document shows it (computed once per schema). */
function fieldsOf(schema: z.ZodType): Record<string, JsonSchema> {
  let fields = shapes.get(schema);
  if (!fields) {
    const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as JsonSchema;
    fields = json.properties ?? {};
    shapes.set(schema, fields);
  }
  return fields;
}

/** The types a field may take; a blank (`''`, contract/fields.ts's `optional`) is no reason to keep text as text. */
const typesOf = (schema: JsonSchema | undefined): string[] =>
  !schema || schema.enum?.every((value) => value === '')
    ? []
    : [schema.type ?? [], ...(schema.anyOf ?? []).flatMap(typesOf)].flat();

function fromText(schema: z.ZodType, source: unknown): unknown {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return source;
  const fields = fieldsOf(schema);
  return Object.fromEntries(
    Object.entries(source).map(([name, value]) => [
      name,
      typeof value === 'string' ? read(value, typesOf(fields[name])) : value,
    ]),
  );
}

/** One text value as the first of the field's types it can be; left as text for the schema to refuse otherwise. */
function read(value: string, types: string[]): unknown {
  if (value === '' || types.includes('string')) return value;
  if (types.includes('integer') || types.includes('number'))
    return decimal(value, !types.includes('integer') || types.includes('number')) ?? value;
  if (types.includes('boolean')) return value === 'true' || value === 'on' ? true : value === 'false' ? false : value;
  return value;
}

/** Each refused field's first message, in the reader's words; the field is its path (`tasks.0.taskId`). */
function fieldMessages(error: z.ZodError, t: TFunction): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const issue of error.issues.flatMap((issue) => reasonsOf(issue, []))) {
    const field = issue.path.map(String).join('.') || 'body';
    messages[field] ??= translated(issue.message, field, t);
  }
  return messages;
}

type Issue = { message: string; path: PropertyKey[]; code?: string; errors?: Issue[][] };

/**
 * The issues a person should read. A field that may be blank is a union (contract/fields.ts's `optional`); when a value
 * fits none of its alternatives, the reason is the one of the alternative that carries our words (the number's range,
 * not "is not the empty string").
 */
function reasonsOf(issue: Issue, prefix: PropertyKey[]): Issue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union' || !issue.errors) return [{ ...issue, path }];
  const ours = issue.errors.find((branch) => branch.some((inner) => said(inner.message) !== undefined));
  return ours ? ours.flatMap((inner) => reasonsOf(inner, path)) : [{ ...issue, path }];
}

const said = (text: string): Message | undefined => {
  try {
    const parsed: unknown = JSON.parse(text);
    return isMessage(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
};

function translated(text: string, field: string, t: TFunction): string {
  const message = said(text);
  // Not one of ours: a shape zod checks by itself, such as a value of the wrong kind inside a list.
  if (!message) return t('common:validation.invalid');
  return messageText(t, { key: message.key, values: { field, ...message.values } });
}
