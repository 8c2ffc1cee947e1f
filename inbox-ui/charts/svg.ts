/** What the server-rendered charts share: escaping, and a rough text width, since SVG cannot measure before drawing. */

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML content and attribute values alike. */
export function escapeXml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (char) => XML_ENTITIES[char]);
}

/** About the width of a line of sans-serif text; good enough to decide whether a count fits inside a bar. */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.6;
}

/** Cuts text to about `width` pixels with an ellipsis; the full text belongs in a `<title>`. */
export function fitText(text: string, width: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= width) return text;
  const chars = Math.max(1, Math.floor(width / (fontSize * 0.6)) - 1);
  return `${text.slice(0, chars).trimEnd()}…`;
}
