/**
 * The languages people read Qualiflow in: Simplified Chinese first, English second. Every page, notice, email,
 * certificate and CLI message takes its words from the message catalogues in `i18n/locales/<language>/<area>.json`
 * (one file per area of the product, the same keys in both languages), so a province can correct a word without
 * touching code. i18next supplies plurals and interpolation; Handlebars does the HTML escaping, so i18next does not.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

export const LOCALES_DIR = path.join(import.meta.dirname, 'locales');

export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

/** Every catalogue, read once: `{ 'zh-CN': { common: {...}, inbox: {...} }, en: {...} }`. */
export function readCatalogues(): Record<Language, Record<string, Record<string, unknown>>> {
  const read = (language: Language) =>
    Object.fromEntries(
      readdirSync(path.join(LOCALES_DIR, language))
        .filter((file) => file.endsWith('.json'))
        .map((file) => [
          file.slice(0, -'.json'.length),
          JSON.parse(readFileSync(path.join(LOCALES_DIR, language, file), 'utf8')) as Record<string, unknown>,
        ]),
    );
  return { 'zh-CN': read('zh-CN'), en: read('en') };
}

const catalogues = readCatalogues();
const i18n = i18next.createInstance();
void i18n.init({
  resources: catalogues,
  lng: DEFAULT_LANGUAGE,
  // A key missing from English shows the Chinese text, never the bare key; the catalogue test keeps both complete.
  fallbackLng: DEFAULT_LANGUAGE,
  ns: Object.keys(catalogues[DEFAULT_LANGUAGE]),
  defaultNS: 'common',
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** The words of one language: `t('<area>:<key>')`, with values to put in: `t('<area>:<key>', { count: 3 })`. */
export const translator = (language: Language): TFunction => i18n.getFixedT(language);

/**
 * The best of our languages for an Accept-Language header: the first range, by quality, that names Chinese or
 * English. Any Chinese reads Simplified Chinese; no header, `*`, or only other languages read the default.
 */
export function languageFromHeader(header: string | undefined): Language {
  const ranges = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), quality: q === undefined ? 1 : Number(q), index };
    })
    .filter((range) => range.tag && range.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranges) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return DEFAULT_LANGUAGE;
}

const CHINA_TIME = 'Asia/Shanghai';

const dateFormats = {
  'zh-CN': new Intl.DateTimeFormat('zh-CN', { timeZone: CHINA_TIME, year: 'numeric', month: 'long', day: 'numeric' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: CHINA_TIME, year: 'numeric', month: 'short', day: 'numeric' }),
} satisfies Record<Language, Intl.DateTimeFormat>;

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: CHINA_TIME,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const parse = (iso: unknown): Date | undefined => {
  if (typeof iso !== 'string' || !iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/**
 * A day as people write it: '2026年11月29日', '29 Nov 2026'. A bare date ('2026-11-29') is that day; an instant is the
 * day it is in China.
 */
export function formatDate(iso: unknown, language: Language): string {
  const date = parse(typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00+08:00` : iso);
  return date ? dateFormats[language].format(date) : '';
}

/**
 * An instant in China time: '2026年11月29日 14:05', '29 Nov 2026 14:05'. Pages label the column or the field as China
 * time (`common:chinaTime`) once, rather than every cell.
 */
export function formatDateTime(iso: unknown, language: Language): string {
  const date = parse(iso);
  return date ? `${dateFormats[language].format(date)} ${timeFormat.format(date)}` : '';
}
