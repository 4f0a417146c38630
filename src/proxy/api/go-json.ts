/**
 * A JSON reader that behaves like Go's `json.Decoder.Decode`, so error texts match Toxiproxy's
 * (`bad request body: <decoder message>`): it reads the first value of the text (anything after it is
 * ignored), keeps number literals as written (Go decides int vs float per field), keeps object entries in
 * order, and limits nesting to 10000 levels like Go. Iterative, so no input can overflow the stack.
 */

/** A number as written in the JSON text. */
export class JsonNumber {
  constructor(readonly raw: string) {}
}

/** An object's entries in text order (duplicates kept; Go applies them in order). */
export class JsonObject {
  readonly entries: Array<[string, JsonValue]> = [];
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/** A syntax error with Go's message text (`invalid character 'x' looking for beginning of value`, `EOF`). */
export class JsonSyntaxError extends Error {}

const MAX_DEPTH = 10_000;

/** Go's quoting of one character in scanner messages. */
export function quoteChar(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === '"') return `'"'`;
  const code = ch.codePointAt(0) ?? 0;
  const named: Record<number, string> = {
    7: '\\a',
    8: '\\b',
    9: '\\t',
    10: '\\n',
    11: '\\v',
    12: '\\f',
    13: '\\r',
  };
  if (named[code]) return `'${named[code]}'`;
  if (ch === '\\') return "'\\\\'";
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, '0')}'`;
  if (code >= 0x80 && code < 0xa0) return `'\\u${code.toString(16).padStart(4, '0')}'`;
  return `'${String.fromCodePoint(code)}'`;
}

type Frame =
  | { array: JsonValue[]; object?: undefined; key?: undefined }
  | { array?: undefined; object: JsonObject; key: string };

/** Parses the first JSON value in `text`; throws JsonSyntaxError with Go's message. */
export function parseGoJson(text: string): JsonValue {
  const n = text.length;
  let i = 0;
  const stack: Frame[] = [];

  const eof = () => new JsonSyntaxError('unexpected EOF');
  const invalid = (context: string) => {
    const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
    return new JsonSyntaxError(`invalid character ${quoteChar(ch)} ${context}`);
  };
  const skipWs = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
  const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

  const readString = (): string => {
    i++; // opening quote
    let out = '';
    let from = i;
    for (;;) {
      if (i >= n) throw eof();
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(from, i);
        i++;
        return out;
      }
      if (c < 0x20) throw invalid('in string literal');
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(from, i);
      i++;
      if (i >= n) throw eof();
      const e = text[i]!;
      const simple: Record<string, string> = {
        '"': '"',
        '\\': '\\',
        '/': '/',
        b: '\b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
      };
      if (simple[e] !== undefined) {
        out += simple[e];
        i++;
      } else if (e === 'u') {
        i++;
        for (let k = 0; k < 4; k++) {
          if (i + k >= n) {
            i += k;
            throw eof();
          }
          if (!isHex(text.charCodeAt(i + k))) {
            i += k;
            throw invalid('in \\u hexadecimal character escape');
          }
        }
        out += String.fromCharCode(Number.parseInt(text.slice(i, i + 4), 16));
        i += 4;
      } else {
        throw invalid('in string escape code');
      }
      from = i;
    }
  };

  const readNumber = (): JsonNumber => {
    const start = i;
    if (text.charCodeAt(i) === 0x2d) {
      i++;
      if (i >= n) throw eof();
      if (!isDigit(text.charCodeAt(i))) throw invalid('in numeric literal');
    }
    if (text.charCodeAt(i) === 0x30) i++;
    else while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i < n && text.charCodeAt(i) === 0x2e) {
      i++;
      if (i >= n) throw eof();
      if (!isDigit(text.charCodeAt(i))) throw invalid('after decimal point in numeric literal');
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    if (i < n && (text[i] === 'e' || text[i] === 'E')) {
      i++;
      if (i < n && (text[i] === '+' || text[i] === '-')) i++;
      if (i >= n) throw eof();
      if (!isDigit(text.charCodeAt(i))) throw invalid('in exponent of numeric literal');
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    return new JsonNumber(text.slice(start, i));
  };

  const readLiteral = (word: string, value: JsonValue): JsonValue => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (i >= n) throw eof();
      if (text[i] !== word[k]) throw invalid(`in literal ${word} (expecting '${word[k]}')`);
    }
    i++;
    return value;
  };

  /** Reads `"key" :` and the whitespace after it. */
  const readKey = (): string => {
    if (i >= n) throw eof();
    if (text.charCodeAt(i) !== 0x22) throw invalid('looking for beginning of object key string');
    const key = readString();
    skipWs();
    if (i >= n) throw eof();
    if (text.charCodeAt(i) !== 0x3a) throw invalid('after object key');
    i++;
    skipWs();
    return key;
  };

  skipWs();
  if (i >= n) throw new JsonSyntaxError('EOF');
  for (;;) {
    if (i >= n) throw eof();
    let value: JsonValue;
    const c = text[i]!;
    if (c === '{' || c === '[') {
      if (stack.length >= MAX_DEPTH) throw new JsonSyntaxError('exceeded max depth');
      i++;
      skipWs();
      if (i >= n) throw eof();
      if (c === '{') {
        const object = new JsonObject();
        if (text[i] === '}') {
          i++;
          value = object;
        } else {
          stack.push({ object, key: readKey() });
          continue;
        }
      } else {
        const array: JsonValue[] = [];
        if (text[i] === ']') {
          i++;
          value = array;
        } else {
          stack.push({ array });
          continue;
        }
      }
    } else if (c === '"') value = readString();
    else if (c === '-' || isDigit(text.charCodeAt(i))) value = readNumber();
    else if (c === 't') value = readLiteral('true', true);
    else if (c === 'f') value = readLiteral('false', false);
    else if (c === 'n') value = readLiteral('null', null);
    else throw invalid('looking for beginning of value');

    // Attach the finished value to its container, closing containers as they end.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return value;
      skipWs();
      if (top.array) {
        top.array.push(value);
        if (i >= n) throw eof();
        if (text[i] === ',') {
          i++;
          skipWs();
          break;
        }
        if (text[i] !== ']') throw invalid('after array element');
        i++;
        stack.pop();
        value = top.array;
      } else {
        top.object.entries.push([top.key, value]);
        if (i >= n) throw eof();
        if (text[i] === ',') {
          i++;
          skipWs();
          top.key = readKey();
          break;
        }
        if (text[i] !== '}') throw invalid('after object key:value pair');
        i++;
        stack.pop();
        value = top.object;
      }
    }
  }
}

/** JSON.stringify, then the escapes Go's encoder adds (`<`, `>`, `&`, U+2028, U+2029). */
export function goStringify(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Rounds to float32 and returns the number whose shortest decimal form is the one Go prints for that
 * float32 (so `0.1` stays `0.1`).
 */
export function toFloat32(value: number): number {
  const f = Math.fround(value);
  if (!Number.isFinite(f) || f === 0) return f;
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}
