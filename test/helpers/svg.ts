/**
 * A strict little XML reader for the server-rendered charts: it throws on anything a browser's XML parser would refuse
 * (an unbalanced tag, a bare `&` or `<`, an unquoted attribute), and gives back a tree the tests can ask questions of.
 * Enough for the SVG we write ourselves; no DTDs, comments, CDATA or processing instructions.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

const NAME = '[A-Za-z_][\\w.:-]*';
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const ENTITY_VALUES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack = [root];
  const tag = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"<]*")*)\\s*(/?)>`, 'y');
  let at = 0;
  while (at < xml.length) {
    const next = xml.indexOf('<', at);
    const text = xml.slice(at, next === -1 ? xml.length : next);
    if (text) stack[stack.length - 1].children.push(unescape(text, at));
    if (next === -1) break;
    tag.lastIndex = next;
    const match = tag.exec(xml);
    if (!match) throw new SyntaxError(`malformed tag at ${next}: ${xml.slice(next, next + 40)}`);
    const [whole, closing, name, attrText, selfClosing] = match;
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name || stack.length === 0) {
        throw new SyntaxError(`</${name}> at ${next} closes <${open?.name}>`);
      }
    } else {
      const element: XmlElement = { name, attrs: attributes(attrText, next), children: [] };
      stack[stack.length - 1].children.push(element);
      if (!selfClosing) stack.push(element);
    }
    at = next + whole.length;
  }
  if (stack.length !== 1) throw new SyntaxError(`<${stack[stack.length - 1].name}> is never closed`);
  const elements = root.children.filter((child): child is XmlElement => typeof child !== 'string');
  const stray = root.children.filter((child) => typeof child === 'string' && child.trim());
  if (elements.length !== 1 || stray.length) throw new SyntaxError('a document has exactly one root element');
  return elements[0];
}

function attributes(text: string, at: number): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const [, name, value] of text.matchAll(new RegExp(`(${NAME})\\s*=\\s*"([^"]*)"`, 'g'))) {
    if (name in attrs) throw new SyntaxError(`attribute ${name} twice at ${at}`);
    attrs[name] = unescape(value, at);
  }
  return attrs;
}

function unescape(text: string, at: number): string {
  if (text.replace(ENTITY, '').includes('&')) throw new SyntaxError(`bare & near ${at}: ${text.slice(0, 40)}`);
  return text.replace(ENTITY, (entity) => {
    const body = entity.slice(1, -1);
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(Number(body.slice(1)));
    return ENTITY_VALUES[body];
  });
}

/** Every element below (and including) `element`, depth first. */
export function descendants(element: XmlElement): XmlElement[] {
  return [element, ...element.children.flatMap((child) => (typeof child === 'string' ? [] : descendants(child)))];
}

/** The text a reader would see, with the child elements' text in order. */
export function textOf(element: XmlElement | string): string {
  return typeof element === 'string' ? element : element.children.map(textOf).join('');
}

/** The text of an element's own `<title>` child: its tooltip and accessible name. */
export function titleOf(element: XmlElement): string | undefined {
  const title = element.children.find((child) => typeof child !== 'string' && child.name === 'title');
  return title === undefined ? undefined : textOf(title);
}

/** The visible text of every `<text>` element, title children left out. */
export function visibleTexts(svg: XmlElement): string[] {
  const visible = (node: XmlElement | string): string =>
    typeof node === 'string' ? node : node.name === 'title' ? '' : node.children.map(visible).join('');
  return descendants(svg)
    .filter((element) => element.name === 'text')
    .map(visible);
}
