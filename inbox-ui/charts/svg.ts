/** What the server-rendered charts share: escaping, and one measure of text width for fitting labels in boxes. */

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML content and attribute values alike. */
export function escapeXml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (char) => XML_ENTITIES[char]);
}

/**
 * The advance of each printable ASCII character (space to `~`), in hundredths of an em, rounded up: DejaVu Sans's,
 * which is what `system-ui, sans-serif` draws with on Linux (Chromium, the e2e tests) and is wider than Segoe UI,
 * San Francisco or Helvetica, so text measured by it fits elsewhere too. A flat 0.6 em would be too narrow for
 * capitals, `m` and `w`, and too wide for `i`, `l`, `t` and `r`, which cut English labels that fit.
 */
// prettier-ignore
const ASCII = {
  regular: [
    32, 41, 46, 84, 64, 96, 78, 28, 40, 40, 50, 84, 32, 37, 32, 34, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 34, 34,
    84, 84, 84, 54, 100, 69, 69, 70, 78, 64, 58, 78, 76, 30, 30, 66, 56, 87, 75, 79, 61, 79, 70, 64, 62, 74, 69, 99,
    69, 62, 69, 40, 34, 40, 84, 50, 50, 62, 64, 55, 64, 62, 36, 64, 64, 28, 28, 58, 28, 98, 64, 62, 64, 64, 42, 53,
    40, 64, 60, 82, 60, 60, 53, 64, 34, 64, 84,
  ],
  bold: [
    35, 46, 53, 84, 70, 101, 88, 31, 46, 46, 53, 84, 38, 42, 38, 37, 70, 70, 70, 70, 70, 70, 70, 70, 70, 70, 40, 40,
    84, 84, 84, 59, 100, 78, 77, 74, 84, 69, 69, 83, 84, 38, 38, 78, 64, 100, 84, 86, 74, 86, 78, 73, 69, 82, 78, 111,
    78, 73, 73, 46, 37, 46, 84, 50, 50, 68, 72, 60, 72, 68, 44, 72, 72, 35, 35, 67, 35, 105, 72, 69, 72, 72, 50, 60,
    48, 72, 66, 93, 65, 66, 59, 72, 37, 72, 84,
  ],
};

export interface TextStyle {
  bold?: boolean;
}

/**
 * How many ems a character takes. Outside ASCII a whole one: what Chinese characters, kana, hangul and full-width
 * punctuation take, and never too little for the rest (an ellipsis or a dash is an em wide, an accented letter less).
 */
function ems(char: string, weight: readonly number[]): number {
  const code = char.codePointAt(0)!;
  return code >= 32 && code < 127 ? weight[code - 32] / 100 : 1;
}

/**
 * About the width of a line of text, since SVG cannot measure before drawing: Chinese characters (and full-width
 * punctuation) take a whole em, Latin ones their width in the ASCII table. Every chart measures with this, so a
 * Chinese label is given the room it takes.
 */
export function textWidth(text: string, fontSize: number, { bold = false }: TextStyle = {}): number {
  const weight = bold ? ASCII.bold : ASCII.regular;
  let width = 0;
  for (const char of text) width += ems(char, weight);
  return width * fontSize;
}

/** Cuts text to about `width` pixels with an ellipsis; the full text belongs in a `<title>`. */
export function fitText(text: string, width: number, fontSize: number, style: TextStyle = {}): string {
  if (textWidth(text, fontSize, style) <= width) return text;
  const chars = [...text];
  const cut = () => `${chars.join('').trimEnd()}…`;
  while (chars.length > 1 && textWidth(cut(), fontSize, style) > width) chars.pop();
  return cut();
}
