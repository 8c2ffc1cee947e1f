/**
 * For the tests that read Chinese pages: which English sentences of a catalogue area (their fixed words, with the
 * placeholders taken out) a page still shows. A Chinese page should show none.
 */
import { readCatalogues } from '../../i18n';

const catalogues = readCatalogues();

function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  return node && typeof node === 'object' ? Object.values(node).flatMap(strings) : [];
}

export function englishLeftIn(text: string, area: string): string[] {
  const pieces = strings(catalogues.en[area])
    .flatMap((entry) => entry.split(/\{\{[^}]*\}\}/))
    .map((piece) => piece.replace(/^[\s,.;:()]+|[\s,.;:()]+$/g, ''))
    // Two words or more: a single word ('To', 'done') could be part of a name or a code the page rightly shows.
    .filter((piece) => /[A-Za-z]+\s+[A-Za-z]+/.test(piece));
  return [...new Set(pieces)].filter((piece) => text.includes(piece));
}
