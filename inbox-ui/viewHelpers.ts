/** Small Handlebars helpers; views stay dumb. */
import type { HelperOptions } from 'handlebars';
import { DEFAULT_LANGUAGE, formatDate, formatDateTime, isLanguage, type Language, translator } from '../i18n';

/** The page's language, which the language middleware put in the locals every view receives. */
const languageOf = (options: HelperOptions): Language => {
  const lang: unknown = options.data?.root?.lang;
  return isLanguage(lang) ? lang : DEFAULT_LANGUAGE;
};

export const helpers = {
  /** The page's words: `{{t '<area>:<key>'}}`, with values to put in as `count=total`. Handlebars escapes the result. */
  t(key: unknown, options: HelperOptions): string {
    return translator(languageOf(options))(String(key), options.hash as Record<string, unknown>);
  },
  /** An instant in China time, where the people reading it are: '2026年11月29日 14:05'. */
  dateTime(iso: unknown, options: HelperOptions): string {
    return formatDateTime(iso, languageOf(options));
  },
  /** A day: '2026年11月29日'. */
  date(iso: unknown, options: HelperOptions): string {
    return formatDate(iso, languageOf(options));
  },
  eq(a: unknown, b: unknown): boolean {
    return a === b;
  },
  gt(a: unknown, b: unknown): boolean {
    return Number(a) > Number(b);
  },
  toString(value: unknown): string {
    return String(value);
  },
  /** Joins its arguments (Handlebars passes an options object last, which is dropped). */
  concat(...parts: unknown[]): string {
    return parts.slice(0, -1).join('');
  },
  ifThen(condition: unknown, yes: unknown, no: unknown): unknown {
    return condition ? yes : no;
  },
};
