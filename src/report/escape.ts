/**
 * Text escaping for every output format. Journals carry user text (scenario names, error messages from
 * servers) that may contain markup, quotes or control characters; nothing reaches a report unescaped.
 */

/** Characters XML 1.0 forbids even as character references: C0 controls but tab/LF/CR, lone surrogates, FFFE/FFFF. */
const XML_INVALID =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Renders a forbidden character visibly (`\u0001`) so no information is silently lost. */
function visible(ch: string): string {
  return `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}

/** Replaces characters XML 1.0 cannot carry with a visible `\uXXXX` form. */
export function stripXmlInvalid(text: string): string {
  return text.replace(XML_INVALID, visible);
}

/** Escapes text for an XML element body. */
export function escapeXmlText(text: string): string {
  return stripXmlInvalid(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text for a double- or single-quoted XML attribute; tab/CR/LF survive attribute normalization. */
export function escapeXmlAttr(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** Escapes text for HTML element bodies and quoted attributes. */
export function escapeHtml(text: string): string {
  return stripXmlInvalid(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Escapes text for one Markdown table cell or list line: HTML-significant characters become entities,
 * `|` and Markdown emphasis/link characters are backslash-escaped, and line breaks become spaces.
 */
export function escapeMarkdown(text: string): string {
  return stripXmlInvalid(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|])/g, '\\$1');
}

/**
 * Wraps text as Markdown inline code, choosing a backtick fence longer than any run inside it.
 * `inTable` escapes `|` (GFM table cells split on it even inside code spans).
 */
export function markdownCode(text: string, inTable = false): string {
  const clean = stripXmlInvalid(text).replace(/[\r\n]+/g, ' ');
  let longest = 0;
  for (const run of clean.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  const body = inTable ? clean.replace(/\|/g, '\\|') : clean;
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** Cuts text to at most `maxChars` characters, marking the cut with an ellipsis. */
export function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, Math.max(0, maxChars - 1))}…`;
}

/**
 * Breaks `text` into lines of at most `width` characters at spaces (a word longer than `width` stands on
 * a line of its own, whole): nothing is cut.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
