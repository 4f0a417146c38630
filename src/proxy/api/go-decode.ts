import { JsonNumber, JsonObject, type JsonValue } from './go-json.js';

/**
 * Decoding parsed JSON into "Go struct" shapes with Go's `encoding/json` rules, so type errors read like
 * Toxiproxy's: keys match fields case-insensitively (an exact match wins), unknown keys are ignored, `null`
 * leaves a field unchanged, and a mismatch reads `json: cannot unmarshal <kind> into Go struct field
 * <Struct>.<path> of type <type>`.
 */

/** A decoding (type) error; the message is Go's text. */
export class GoDecodeError extends Error {}

/** Field kinds used by the API. */
export type FieldKind = 'string' | 'bool' | 'int64' | 'float32';

const GO_TYPE: Record<FieldKind, string> = {
  string: 'string',
  bool: 'bool',
  int64: 'int64',
  float32: 'float32',
};

/** Go's name for a JSON value's kind in type errors. */
export function jsonKind(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof JsonNumber) return 'number';
  if (value instanceof JsonObject) return 'object';
  return 'array';
}

/** Where a value sits, for error texts. */
export interface DecodePlace {
  /** Go struct name holding the field (`Proxy`), or undefined for a top-level value. */
  struct?: string;
  /** Dotted JSON path of the field (`attributes.latency`). */
  path?: string;
  /** Go type name of the target (`toxiproxy.Proxy`, `int64`). */
  type: string;
}

/** Throws Go's UnmarshalTypeError text. */
export function typeError(what: string, place: DecodePlace): never {
  if (place.struct !== undefined && place.path !== undefined) {
    throw new GoDecodeError(
      `json: cannot unmarshal ${what} into Go struct field ${place.struct}.${place.path} of type ${place.type}`,
    );
  }
  throw new GoDecodeError(`json: cannot unmarshal ${what} into Go value of type ${place.type}`);
}

/** Finds the entries matching each field, Go-style; returns [field, value] pairs in text order. */
export function matchFields(object: JsonObject, fields: readonly string[]): Array<[string, JsonValue]> {
  const out: Array<[string, JsonValue]> = [];
  for (const [key, value] of object.entries) {
    let field = fields.find((f) => f === key);
    if (field === undefined) {
      const lower = key.toLowerCase();
      field = fields.find((f) => f.toLowerCase() === lower);
    }
    if (field !== undefined) out.push([field, value]);
  }
  return out;
}

/** Requires an object (or null = no fields); throws Go's type error otherwise. */
export function asObject(value: JsonValue, place: DecodePlace): JsonObject | null {
  if (value === null || value instanceof JsonObject) return value;
  return typeError(jsonKind(value), place);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const FLOAT32_MAX = 3.4028234663852886e38;

/** Decodes one scalar field value; `undefined` for null (leave unchanged). */
export function decodeScalar(value: JsonValue, kind: FieldKind, place: Omit<DecodePlace, 'type'>): unknown {
  if (value === null) return undefined;
  const where = { ...place, type: GO_TYPE[kind] };
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? value : typeError(jsonKind(value), where);
    case 'bool':
      return typeof value === 'boolean' ? value : typeError(jsonKind(value), where);
    case 'int64': {
      if (!(value instanceof JsonNumber)) return typeError(jsonKind(value), where);
      if (!/^-?\d+$/.test(value.raw)) return typeError(`number ${value.raw}`, where);
      const big = BigInt(value.raw);
      if (big < INT64_MIN || big > INT64_MAX) return typeError(`number ${value.raw}`, where);
      return Number(big);
    }
    case 'float32': {
      if (!(value instanceof JsonNumber)) return typeError(jsonKind(value), where);
      const n = Number(value.raw);
      if (!Number.isFinite(n) || Math.abs(n) > FLOAT32_MAX) return typeError(`number ${value.raw}`, where);
      return n;
    }
  }
}

/**
 * Decodes an object into `target` for the given fields (JSON name → kind). Later keys win. `struct` is the Go
 * struct name used in field errors, `prefix` the JSON path of the object itself ('' at top level).
 */
export function decodeFields(
  object: JsonObject,
  fields: Readonly<Record<string, FieldKind>>,
  struct: string,
  prefix: string,
  target: Record<string, unknown>,
): void {
  for (const [field, value] of matchFields(object, Object.keys(fields))) {
    const decoded = decodeScalar(value, fields[field]!, { struct, path: prefix + field });
    if (decoded !== undefined) target[field] = decoded;
  }
}
