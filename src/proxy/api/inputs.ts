import { apiErrors } from '../model/api-error.js';
import type { ProxySettings } from '../model/tcp-proxy.js';
import {
  asObject,
  decodeFields,
  type FieldKind,
  GoDecodeError,
  jsonKind,
  matchFields,
  typeError,
} from './go-decode.js';
import { type JsonObject, JsonSyntaxError, type JsonValue, parseGoJson } from './go-json.js';

/**
 * Request bodies decoded the way Toxiproxy's Go handlers decode them, with the same error texts. Every
 * function throws a ToxiproxyApiError (400 `bad request body: ...`) on bad input.
 */

/** A toxic as sent, before its type is known (Toxiproxy's first decoding pass). */
export interface RawToxic {
  name: string;
  type: string;
  stream: string;
  toxicity: number;
  /** The `attributes` object, decoded once the type is known. */
  attributes: JsonObject | null;
}

/** A proxy entry of /populate or a config file. */
export interface PopulateEntry {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  /** Our extension: toxics to ensure on the proxy (`undefined` when the field is absent or null). */
  toxics?: RawToxic[];
}

const PROXY_FIELDS: Record<string, FieldKind> = {
  name: 'string',
  listen: 'string',
  upstream: 'string',
  enabled: 'bool',
};
const TOXIC_FIELDS: Record<string, FieldKind> = {
  name: 'string',
  type: 'string',
  stream: 'string',
  toxicity: 'float32',
};
const POPULATE_ELEMENT = 'struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }';
const UPDATE_TOXIC =
  'struct { Attributes interface {} "json:\\"attributes\\""; Toxicity float32 "json:\\"toxicity\\"" }';

/** Runs a decoder, turning parse and type errors into `bad request body: <Go text>`. */
export function decodeBody<T>(text: string, decode: (value: JsonValue) => T): T {
  let value: JsonValue;
  try {
    value = parseGoJson(text);
    return decode(value);
  } catch (e) {
    if (e instanceof JsonSyntaxError || e instanceof GoDecodeError) throw apiErrors.badRequestBody(e.message);
    throw e;
  }
}

/** POST /proxies: `{name, listen, upstream, enabled?}` (enabled defaults to true). */
export function decodeProxyCreate(text: string): { name: string } & ProxySettings {
  return decodeBody(text, (value) => {
    const out: Record<string, unknown> = { name: '', listen: '', upstream: '', enabled: true };
    const object = asObject(value, { type: 'toxiproxy.Proxy' });
    if (object) decodeFields(object, PROXY_FIELDS, 'Proxy', '', out);
    return out as unknown as { name: string } & ProxySettings;
  });
}

/** POST/PATCH /proxies/{p}: a merge over the current settings (a name in the body is ignored). */
export function decodeProxyUpdate(text: string, current: ProxySettings): ProxySettings {
  return decodeBody(text, (value) => {
    const out: Record<string, unknown> = { ...current };
    const object = asObject(value, { type: 'toxiproxy.Proxy' });
    if (object) decodeFields(object, PROXY_FIELDS, 'Proxy', '', out);
    return {
      listen: out.listen as string,
      upstream: out.upstream as string,
      enabled: out.enabled as boolean,
    };
  });
}

/** Decodes a toxic object: defaults stream `downstream`, toxicity 1. `path` prefixes field paths. */
function rawToxic(value: JsonValue, path: string): RawToxic {
  const out: Record<string, unknown> = { name: '', type: '', stream: 'downstream', toxicity: 1 };
  const object = asObject(
    value,
    path ? { struct: 'Proxy', path, type: 'toxics.ToxicWrapper' } : { type: 'toxics.ToxicWrapper' },
  );
  let attributes: JsonObject | null = null;
  if (object) {
    decodeFields(object, TOXIC_FIELDS, 'ToxicWrapper', path ? `${path}.` : '', out);
    for (const [, v] of matchFields(object, ['attributes'])) {
      if (v === null) continue; // Go: null leaves the field alone
      attributes = asObject(v, {
        struct: 'ToxicWrapper',
        path: `${path ? `${path}.` : ''}attributes`,
        type: 'toxics.NoopToxic',
      });
    }
  }
  return { ...(out as Omit<RawToxic, 'attributes'>), attributes };
}

/** POST /proxies/{p}/toxics, first pass. */
export function decodeToxicCreate(text: string): RawToxic {
  return decodeBody(text, (value) => rawToxic(value, ''));
}

/**
 * Decodes a toxic's attributes as integers into `target` (Go: int64 fields of `<goName>`); throws
 * ToxiproxyApiError `bad request body: ...` on a type error.
 */
export function decodeAttributes(
  object: JsonObject | null,
  kind: { goName: string; attributes: readonly string[] },
  target: Record<string, number>,
): void {
  if (!object) return;
  const fields = Object.fromEntries(kind.attributes.map((a) => [a, 'int64' as const]));
  try {
    decodeFields(object, fields, kind.goName, 'attributes.', target);
  } catch (e) {
    if (e instanceof GoDecodeError) throw apiErrors.badRequestBody(e.message);
    throw e;
  }
}

/** POST/PATCH /proxies/{p}/toxics/{t}: `{attributes?, toxicity?}` merged over the current values. */
export function decodeToxicUpdate(
  text: string,
  kind: { goName: string; attributes: readonly string[] },
  current: { toxicity: number; attributes: Record<string, number> },
): { toxicity: number; attributes: Record<string, number> } {
  return decodeBody(text, (value) => {
    const out: Record<string, unknown> = { toxicity: current.toxicity };
    const attributes = { ...current.attributes };
    const object = asObject(value, { type: UPDATE_TOXIC });
    if (object) {
      decodeFields(object, { toxicity: 'float32' }, '', '', out);
      for (const [, v] of matchFields(object, ['attributes'])) {
        if (v === null) continue;
        const attrs = asObject(v, { struct: '', path: 'attributes', type: `toxics.${kind.goName}` });
        const fields = Object.fromEntries(kind.attributes.map((a) => [a, 'int64' as const]));
        if (attrs) decodeFields(attrs, fields, kind.goName, 'attributes.', attributes);
      }
    }
    return { toxicity: out.toxicity as number, attributes };
  });
}

/** POST /populate and config files: an array of proxies (`null` = none). */
export function decodePopulate(text: string): PopulateEntry[] {
  return decodeBody(text, (value) => decodePopulateValue(value));
}

/** Decodes an already parsed populate array. */
export function decodePopulateValue(value: JsonValue): PopulateEntry[] {
  if (value === null) return [];
  if (!Array.isArray(value)) return typeError(jsonKind(value), { type: `[]${POPULATE_ELEMENT}` });
  return value.map((element) => {
    const out: Record<string, unknown> = { name: '', listen: '', upstream: '', enabled: true };
    const object = asObject(element, { type: POPULATE_ELEMENT });
    if (!object) return out as unknown as PopulateEntry;
    decodeFields(object, PROXY_FIELDS, 'Proxy', '', out);
    const entry = out as unknown as PopulateEntry;
    for (const [, v] of matchFields(object, ['toxics'])) {
      if (v === null) continue;
      if (!Array.isArray(v))
        typeError(jsonKind(v), { struct: 'Proxy', path: 'toxics', type: '[]toxics.ToxicWrapper' });
      entry.toxics = v.map((t) => rawToxic(t, 'toxics'));
    }
    return entry;
  });
}
