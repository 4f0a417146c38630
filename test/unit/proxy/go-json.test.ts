import { describe, expect, it } from 'vitest';
import {
  goStringify,
  JsonNumber,
  JsonObject,
  parseGoJson,
  toFloat32,
} from '../../../src/proxy/api/go-json.js';

const message = (text: string) => {
  try {
    parseGoJson(text);
  } catch (e) {
    return (e as Error).message;
  }
  return 'ok';
};

describe('parseGoJson', () => {
  it('keeps number literals, object entries in order, and ignores what follows the first value', () => {
    const value = parseGoJson(' {"b": [1.50, -0, true, null], "a": "x\\u00e9\\n", "b": {}} trailing');
    expect(value).toBeInstanceOf(JsonObject);
    const entries = (value as JsonObject).entries;
    expect(entries.map(([k]) => k)).toEqual(['b', 'a', 'b']);
    expect(entries[0]![1]).toEqual([new JsonNumber('1.50'), new JsonNumber('-0'), true, null]);
    expect(entries[1]![1]).toBe('xé\n');
    expect(parseGoJson('01')).toEqual(new JsonNumber('0'));
  });

  it.each([
    ['', 'EOF'],
    ['  \n', 'EOF'],
    ['{', 'unexpected EOF'],
    ['{"a":1', 'unexpected EOF'],
    ['"abc', 'unexpected EOF'],
    ['x', "invalid character 'x' looking for beginning of value"],
    ['<html>', "invalid character '<' looking for beginning of value"],
    ['{x', "invalid character 'x' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b"', `invalid character '"' after object key:value pair`],
    ['[1 2]', "invalid character '2' after array element"],
    ['[01]', "invalid character '1' after array element"],
    ['-x', "invalid character 'x' in numeric literal"],
    ['1.e', "invalid character 'e' after decimal point in numeric literal"],
    ['1ex', "invalid character 'x' in exponent of numeric literal"],
    ['tru ', "invalid character ' ' in literal true (expecting 'e')"],
    ['"a\\x"', "invalid character 'x' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['"a\nb"', "invalid character '\\n' in string literal"],
    ["'", "invalid character '\\'' looking for beginning of value"],
  ])('%j → %s', (text, expected) => {
    expect(message(text)).toBe(expected);
  });

  it('limits nesting like Go, without overflowing the stack', () => {
    expect(message('['.repeat(10_001))).toBe('exceeded max depth');
    expect(message('['.repeat(100_000))).toBe('exceeded max depth');
    expect(message(`${'['.repeat(100)}${']'.repeat(100)}`)).toBe('ok');
  });
});

describe('goStringify', () => {
  it("escapes <, > and & like Go's encoder", () => {
    expect(goStringify({ error: "invalid character '<' & >" })).toBe(
      '{"error":"invalid character \'\\u003c\' \\u0026 \\u003e"}',
    );
  });
});

describe('toFloat32', () => {
  it('rounds to float32 and keeps the short decimal Go prints', () => {
    expect(toFloat32(0.1)).toBe(0.1);
    expect(toFloat32(1)).toBe(1);
    expect(toFloat32(0.30000001192092896)).toBe(0.3);
    expect(toFloat32(1.0000000001)).toBe(1);
    expect(toFloat32(0)).toBe(0);
  });
});
