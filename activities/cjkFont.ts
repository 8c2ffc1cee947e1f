/**
 * The one font that prints Chinese: certificates, admission tickets and session reports all use it.
 *
 * Noto Sans SC (SIL OFL 1.1; every GB2312 hanzi and Latin) comes from an npm package, so `npm install` alone brings a
 * font that draws Chinese. There is no Latin fallback: it would print names as '???'. The package's version is pinned
 * exactly in package.json because another font file would print the same certificate in other bytes.
 *
 * The file is 10 MB. pdfkit reads a font given to a document afresh for that document: its tables, character map,
 * glyph metrics and substitution rules. That was a third of a certificate's CPU (30 of 86 ms, measured alone on the
 * development machine; `npm run bench -- --only documents`). Here it is parsed once per process, and each document
 * gets its own embedding (its own subset of the glyphs it uses) over that one parse. pdfkit has no public way to hand
 * a document a parsed font, so `useCjkFont` takes pdfkit's embedded-font class from the document that parsed it;
 * pdfkit is pinned exactly for that, and for the bytes, as the font is.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';

export const CJK_FONT_PACKAGE = '@expo-google-fonts/noto-sans-sc';
const CJK_FONT_FILE = `${CJK_FONT_PACKAGE}/400Regular/NotoSansSC_400Regular.ttf`;

/** The parts of pdfkit's document that choose its fonts (FontsMixin), as pdfkit 0.17 has them. */
interface PdfkitFonts {
  _fontCount: number;
  _fontFamilies: Record<string, unknown>;
  _registeredFonts: Record<string, { src: unknown; family?: string }>;
  _font: { constructor: EmbeddedFontClass; font: unknown };
}

type EmbeddedFontClass = new (document: PDFKit.PDFDocument, font: unknown, id: string) => unknown;

interface ParsedFont {
  file: string;
  embeddedFont: EmbeddedFontClass;
  font: unknown;
}

let parsed: ParsedFont | undefined;

/**
 * Reads and parses the font once per process. `npm start`, the worker and the web server call it at start-up, so a
 * missing or damaged font stops them with this sentence instead of failing the first certificate.
 */
export function loadCjkFont(): { file: string } {
  return parseOnce();
}

function parseOnce(): ParsedFont {
  if (parsed) return parsed;
  try {
    const file = createRequire(import.meta.url).resolve(CJK_FONT_FILE);
    const doc = new PDFDocument({ autoFirstPage: false }).font(readFileSync(file));
    const { _font } = doc as unknown as PdfkitFonts;
    return (parsed = { file, embeddedFont: _font.constructor, font: _font.font });
  } catch (error) {
    throw new Error(
      `No font for Chinese text: ${CJK_FONT_FILE} cannot be loaded (${(error as Error).message.split('\n')[0]}). ` +
        `Certificates are printed in it; install the npm package ${CJK_FONT_PACKAGE} with: npm install`,
    );
  }
}

/**
 * Registers the CJK font in `doc` under `name` and selects it, as `doc.registerFont(name, bytes).font(name)` would,
 * over the parse this process keeps; a later `doc.font(name)` selects it again. The font ids are numbered as pdfkit
 * numbers them, so the file is the one pdfkit would write.
 */
export function useCjkFont(doc: PDFKit.PDFDocument, name: string): PDFKit.PDFDocument {
  const { embeddedFont, font } = parseOnce();
  const fonts = doc as unknown as PdfkitFonts;
  fonts._registeredFonts[name] = { src: name };
  fonts._fontFamilies[name] = new embeddedFont(doc, font, `F${++fonts._fontCount}`);
  return doc.font(name);
}
