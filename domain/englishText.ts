/**
 * A Message (domain/messages.ts) as its English catalogue entry says it, for the places that need an English sentence
 * and cannot ask i18next: every workflow refusal's failure message (bundled, deterministic; the text goes into
 * history) and the English kept beside a Message for logs. The words come from the English catalogues themselves, so
 * a sentence is written once. Values are put in as they are (codes, not names: a log names the code), except an
 * instant, which the catalogues announce as China time and which is therefore written in China time.
 *
 * Only what these messages use: `{{value}}` placeholders, and English plurals (`_one`, `_other`) chosen by `count`.
 */
import caseCatalogue from '../i18n/locales/en/case.json';
import intakeCatalogue from '../i18n/locales/en/intake.json';
import refusalsCatalogue from '../i18n/locales/en/refusals.json';
import sessionCatalogue from '../i18n/locales/en/session.json';
import verifyCatalogue from '../i18n/locales/en/verify.json';
import type { Message, MessageValue } from './messages';

const CATALOGUES: Record<string, unknown> = {
  case: caseCatalogue,
  intake: intakeCatalogue,
  refusals: refusalsCatalogue,
  session: sessionCatalogue,
  verify: verifyCatalogue,
};

function entry(area: unknown, path: string): string | undefined {
  let node = area;
  for (const name of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[name];
  return typeof node === 'string' ? node : undefined;
}

/** An instant as workflows keep it (UTC, `toISOString`). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** China keeps one offset all year (no daylight saving), so the arithmetic needs no time-zone data. */
const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** '2026-03-01T02:00:00.000Z' as '2026-03-01 10:00': what "(China time)" after it promises. */
function shown(value: MessageValue): string {
  const ms = typeof value === 'string' && INSTANT.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) return String(value);
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The English sentence of `said`; its key itself when no catalogue here has it (the catalogue tests prevent that). */
export function englishText(said: Message): string {
  const [area, path = ''] = said.key.split(':');
  const catalogue = CATALOGUES[area];
  const values = said.values ?? {};
  const count = values.count;
  const plural = typeof count === 'number' ? entry(catalogue, `${path}_${count === 1 ? 'one' : 'other'}`) : undefined;
  const text = plural ?? entry(catalogue, path);
  if (text === undefined) return said.key;
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (placeholder, name: string) =>
    name in values ? shown(values[name]) : placeholder,
  );
}
