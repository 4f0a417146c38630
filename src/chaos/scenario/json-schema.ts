/**
 * The JSON Schema of the scenario format, generated from the zod schema (zod 4 `z.toJSONSchema`). The
 * committed copy lives in `schema/scenario.schema.json`; `mcp-chaos schema` prints it and a unit test
 * keeps the two equal. It serves editors (`# yaml-language-server: $schema=...`); cross-field rules are
 * enforced by the validator only.
 */
import { z } from 'zod';
import { invariantEntryJsonSchema } from './invariant-json-schema.js';
import { ScenarioSchema } from './schema.js';

export const SCENARIO_SCHEMA_ID = 'https://github.com/mcp-chaos/mcp-chaos/schema/scenario.schema.json';

type Json = Record<string, unknown>;

let cached: Json | undefined;

/** The generated schema, shared (callers must not mutate it). */
function shared(): Json {
  if (!cached) {
    const generated = z.toJSONSchema(ScenarioSchema, { io: 'input', target: 'draft-2020-12' }) as Json;
    // the invariant entries typed from the registry (zod keeps them loose for the validator's messages)
    const defs = generated.$defs as Record<string, Json> | undefined;
    if (defs?.Invariant) defs.Invariant = { id: defs.Invariant.id, ...invariantEntryJsonSchema() };
    const { $schema, ...rest } = generated;
    cached = { $schema, $id: SCENARIO_SCHEMA_ID, title: 'mcp-chaos scenario', ...rest };
  }
  return cached;
}

/** The JSON Schema (draft 2020-12) of a scenario file (a fresh copy). */
export function scenarioJsonSchema(): Json {
  return structuredClone(shared());
}

/** The schema as the committed file holds it: 2-space JSON with a trailing newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(shared(), null, 2)}\n`;
}

const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Sub-schemas reached by one path segment (union branches that fit `value` are followed). */
function step(schemas: Json[], value: unknown, seg: string | number): Json[] {
  const out: Json[] = [];
  for (const s of expand(schemas, value)) {
    if (typeof seg === 'number') {
      if (isObj(s.items)) out.push(s.items);
      continue;
    }
    const props = s.properties;
    if (isObj(props) && isObj(props[seg])) out.push(props[seg] as Json);
    else if (isObj(s.additionalProperties)) out.push(s.additionalProperties);
  }
  return out;
}

/** A branch fits when none of its `const` properties contradicts the value (e.g. a toxic's `type`). */
function fits(s: Json, value: unknown): boolean {
  if (!isObj(s.properties) || !isObj(value)) return true;
  for (const [k, p] of Object.entries(s.properties)) {
    if (isObj(p) && 'const' in p && value[k] !== undefined && value[k] !== p.const) return false;
  }
  return true;
}

function expand(schemas: Json[], value: unknown): Json[] {
  const out: Json[] = [];
  const defs = shared().$defs;
  const visit = (s: Json): void => {
    const ref = typeof s.$ref === 'string' ? /^#\/\$defs\/(.+)$/.exec(s.$ref)?.[1] : undefined;
    if (ref !== undefined && isObj(defs) && isObj(defs[ref])) visit(defs[ref] as Json);
    if (!fits(s, value)) return;
    out.push(s);
    for (const k of ['anyOf', 'oneOf', 'allOf']) {
      const list = s[k];
      if (Array.isArray(list)) for (const x of list) if (isObj(x)) visit(x);
    }
  };
  for (const s of schemas) visit(s);
  return out;
}

/**
 * Property names allowed by the object schema(s) at `path` (for "did you mean" hints); `root` is the
 * document's value, used to pick the union branch that applies (e.g. by a toxic's `type`).
 */
export function allowedKeysAt(path: readonly (string | number)[], root?: unknown): string[] {
  let schemas: Json[] = [shared()];
  let value: unknown = root;
  for (const seg of path) {
    schemas = step(schemas, value, seg);
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[seg] : undefined;
  }
  const keys = new Set<string>();
  for (const s of expand(schemas, value))
    if (isObj(s.properties)) for (const k of Object.keys(s.properties)) keys.add(k);
  return [...keys];
}
