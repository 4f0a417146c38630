/**
 * A tiny, strict XML 1.0 parser for tests (no regexes, no DTDs): elements, attributes, text, CDATA,
 * comments, the five predefined entities and character references. Throws on anything not well-formed:
 * mismatched or unclosed tags, duplicate attributes, a raw `<` or `&` in text or attributes, characters
 * XML forbids, more than one root.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text content directly inside this element. */
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isNameChar(c: string): boolean {
  return (
    (c >= 'a' && c <= 'z') ||
    (c >= 'A' && c <= 'Z') ||
    (c >= '0' && c <= '9') ||
    c === '_' ||
    c === '-' ||
    c === '.' ||
    c === ':'
  );
}

function isAllowedChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

export function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(
      `XML error at offset ${i}: ${msg} (near ${JSON.stringify(src.slice(Math.max(0, i - 20), i + 20))})`,
    );
  };
  for (const ch of src) {
    const code = ch.codePointAt(0) ?? 0;
    if (!isAllowedChar(code)) fail(`forbidden character U+${code.toString(16)}`);
  }
  const skipWs = () => {
    while (i < src.length && (src[i] === ' ' || src[i] === '\n' || src[i] === '\r' || src[i] === '\t')) i++;
  };
  const name = (): string => {
    const start = i;
    while (i < src.length && isNameChar(src[i] as string)) i++;
    if (i === start) fail('expected a name');
    return src.slice(start, i);
  };
  const decode = (raw: string, inAttr: boolean): string => {
    let out = '';
    for (let k = 0; k < raw.length; k++) {
      const c = raw[k] as string;
      if (c === '<') fail('raw "<" in text or attribute');
      if (inAttr && (c === '\n' || c === '\t' || c === '\r')) {
        out += ' '; // attribute-value normalization
        continue;
      }
      if (c !== '&') {
        out += c;
        continue;
      }
      const end = raw.indexOf(';', k);
      if (end < 0) fail('unterminated entity');
      const ent = raw.slice(k + 1, end);
      if (ent.startsWith('#x')) out += String.fromCodePoint(Number.parseInt(ent.slice(2), 16));
      else if (ent.startsWith('#')) out += String.fromCodePoint(Number.parseInt(ent.slice(1), 10));
      else if (ENTITIES[ent] !== undefined) out += ENTITIES[ent];
      else fail(`unknown entity &${ent};`);
      const code = out.codePointAt(out.length - 1) ?? 0;
      if (!isAllowedChar(code)) fail(`character reference to forbidden U+${code.toString(16)}`);
      k = end;
    }
    return out;
  };
  const element = (): XmlElement => {
    if (src[i] !== '<') fail('expected "<"');
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      skipWs();
      if (src.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      const attr = name();
      if (attr in el.attrs) fail(`duplicate attribute ${attr}`);
      skipWs();
      if (src[i] !== '=') fail('expected "="');
      i++;
      skipWs();
      const q = src[i];
      if (q !== '"' && q !== "'") fail('expected a quote');
      const end = src.indexOf(q as string, i + 1);
      if (end < 0) fail('unterminated attribute');
      el.attrs[attr] = decode(src.slice(i + 1, end), true);
      i = end + 1;
    }
    for (;;) {
      if (i >= src.length) fail(`unclosed <${el.name}>`);
      if (src.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        skipWs();
        if (src[i] !== '>') fail('expected ">"');
        i++;
        return el;
      }
      if (src.startsWith('<!--', i)) {
        const end = src.indexOf('-->', i);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (src.startsWith('<![CDATA[', i)) {
        const end = src.indexOf(']]>', i);
        if (end < 0) fail('unterminated CDATA');
        el.text += src.slice(i + 9, end);
        i = end + 3;
      } else if (src[i] === '<') {
        el.children.push(element());
      } else {
        const end = src.indexOf('<', i);
        const raw = src.slice(i, end < 0 ? src.length : end);
        if (raw.includes(']]>')) fail('"]]>" in text');
        el.text += decode(raw, false);
        i = end < 0 ? src.length : end;
      }
    }
  };
  if (src.startsWith('<?xml')) {
    const end = src.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  skipWs();
  const root = element();
  skipWs();
  if (i !== src.length) fail('content after the root element');
  return root;
}

/** Direct children named `name`. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}
