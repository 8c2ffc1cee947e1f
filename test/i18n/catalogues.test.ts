/**
 * The message catalogues are complete and nothing a person reads bypasses them: every key exists in both languages
 * with the same placeholders, every key the code and the templates ask for exists, Chinese entries are Chinese, and
 * no template carries words of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { readCatalogues } from '../../i18n';

const ROOT = path.join(import.meta.dirname, '..', '..');
const catalogues = readCatalogues();

/** `{ 'inbox:title': 'Inbox', ... }`, plural forms folded into their key ('tasks_one', 'tasks_other' → 'tasks'). */
function flatten(language: 'zh-CN' | 'en'): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  const walk = (prefix: string, node: unknown) => {
    if (typeof node === 'string') {
      const key = prefix.replace(/_(zero|one|two|few|many|other)$/, '');
      keys.set(key, [...(keys.get(key) ?? []), node]);
    } else if (node && typeof node === 'object') {
      for (const [name, child] of Object.entries(node))
        walk(prefix.endsWith(':') ? prefix + name : `${prefix}.${name}`, child);
    }
  };
  for (const [namespace, entries] of Object.entries(catalogues[language])) walk(`${namespace}:`, entries);
  return keys;
}

const zh = flatten('zh-CN');
const en = flatten('en');

const placeholders = (texts: string[]) =>
  [...new Set(texts.flatMap((text) => [...text.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1])))].sort();

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(extension))
    .map((file) => path.join(dir, file));
}

test('every key is in both languages, with the same placeholders', (t) => {
  t.deepEqual(
    [...zh.keys()].filter((key) => !en.has(key)),
    [],
    'keys missing from English',
  );
  t.deepEqual(
    [...en.keys()].filter((key) => !zh.has(key)),
    [],
    'keys missing from Chinese',
  );
  const mismatched = [...zh.keys()]
    .filter((key) => en.has(key))
    .filter((key) => placeholders(zh.get(key)!).join() !== placeholders(en.get(key)!).join());
  t.deepEqual(mismatched, [], 'keys whose placeholders differ between the languages');
});

test('English keys with a count have both plural forms', (t) => {
  const flat = (node: unknown, prefix = ''): string[] =>
    node && typeof node === 'object'
      ? Object.entries(node).flatMap(([name, child]) => flat(child, prefix ? `${prefix}.${name}` : name))
      : [prefix];
  const english = Object.entries(catalogues.en).flatMap(([ns, entries]) => flat(entries).map((k) => `${ns}:${k}`));
  const lonely = english
    .filter((key) => /_(one|other)$/.test(key))
    .filter(
      (key) => !english.includes(key.replace(/_one$/, '_other')) || !english.includes(key.replace(/_other$/, '_one')),
    );
  t.deepEqual(lonely, []);
});

test('the Chinese catalogue is Chinese: no entry is left as its English text', (t) => {
  // Names and codes that read the same in both languages.
  const same = new Set(['common:titleSuffix', 'common:language.switchTo']);
  // Placeholders are names, not words: '{{words}}（{{ref}}）' is all Chinese.
  const words = (key: string) =>
    zh
      .get(key)!
      .join()
      .replace(/\{\{[^}]*\}\}/g, '');
  const untranslated = [...zh.keys()].filter(
    (key) => !same.has(key) && /[A-Za-z]{3}/.test(words(key)) && !/\p{Script=Han}/u.test(words(key)),
  );
  t.deepEqual(untranslated, []);
});

test('every key the code and the templates ask for is in the catalogues', (t) => {
  const asked = new Map<string, string>();
  const sources = [
    ...filesUnder('inbox-ui', '.hbs'),
    ...['inbox-ui', 'i18n', 'activities', 'runtime', 'scripts', 'worker', 'records', 'domain'].flatMap((dir) =>
      filesUnder(dir, '.ts'),
    ),
  ];
  for (const file of sources) {
    const source = readFileSync(path.join(ROOT, file), 'utf8');
    // {{t 'ns:key'}}, (t "ns:key"), t('ns:key'), tOf(res)('ns:key'): keys written whole (a key built at run time,
    // like the labels', is checked by the test of its own module).
    for (const match of source.matchAll(/(?:\bt\s*\(\s*|\(t\s+|\{\{t\s+|\)\s*\(\s*)['"`]([a-zA-Z]+:[\w.-]+)['"`]/g)) {
      asked.set(match[1], file);
    }
  }
  t.true(asked.size > 20, `found only ${asked.size} keys in use: the scan is broken`);
  const missing = [...asked].filter(([key]) => !zh.has(key) || !en.has(key)).map(([key, file]) => `${key} (${file})`);
  t.deepEqual(missing, []);
});

/** What a reader sees of a template once every mustache is taken out: it must hold no words. */
function wordsOutsideCatalogue(template: string): string[] {
  const stripped = template
    .replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/\{\{\{[\s\S]*?\}\}\}|\{\{[\s\S]*?\}\}/g, '\u0000');
  const found: string[] = [];
  // Attributes people read (or hear): titles, labels, placeholders, alternative text.
  for (const match of stripped.matchAll(/\b(?:title|aria-label|placeholder|alt)=(['"])(.*?)\1/g)) {
    if (/\p{L}/u.test(match[2])) found.push(match[0]);
  }
  const text = stripped.replace(/<[^>]*>/g, '\u0000');
  for (const piece of text.split('\u0000')) {
    const trimmed = piece.trim();
    // Letters are words; punctuation and separators between mustaches (' · ', ':', '(') are not.
    if (/\p{L}/u.test(trimmed) && !/^&[a-z]+;$/.test(trimmed)) found.push(trimmed);
  }
  return found;
}

test('no template carries words of its own: every word comes from the catalogues', (t) => {
  const offenders = filesUnder('inbox-ui', '.hbs').flatMap((file) =>
    wordsOutsideCatalogue(readFileSync(path.join(ROOT, file), 'utf8')).map((words) => `${file}: ${words}`),
  );
  t.deepEqual(offenders, []);
});

test('the template check finds words in text and in read attributes, and passes mustaches and markup', (t) => {
  t.deepEqual(wordsOutsideCatalogue('<p>Approved <strong>{{n}}</strong></p>'), ['Approved']);
  t.deepEqual(wordsOutsideCatalogue("<input placeholder='Search' />"), ["placeholder='Search'"]);
  t.deepEqual(
    wordsOutsideCatalogue("<p class='muted'>{{t 'inbox:title'}} · {{count}}</p><style>p { x: y }</style>"),
    [],
  );
  t.deepEqual(wordsOutsideCatalogue('<td>已批准</td>'), ['已批准']);
});
