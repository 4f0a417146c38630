/**
 * The keys a config schema allows at a path, for "did you mean" hints on unknown keys: the zod schema is
 * walked through optionals, defaults, pipes (transforms), unions (every branch), records and arrays.
 */
import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  element?: z.ZodType;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schemas `s` may really be (wrappers removed, union branches expanded). */
function unwrap(s: z.ZodType, depth = 0): z.ZodType[] {
  if (depth > 20) return [];
  const d = defOf(s);
  const inner = d.innerType ?? d.in;
  if (inner !== undefined && d.type !== 'object') return unwrap(inner, depth + 1);
  if (d.type === 'union' && d.options) return d.options.flatMap((o) => unwrap(o, depth + 1));
  return [s];
}

function child(s: z.ZodType, seg: PropertyKey): z.ZodType[] {
  const d = defOf(s);
  if (d.type === 'object' && d.shape && typeof seg === 'string' && seg in d.shape)
    return [d.shape[seg] as z.ZodType];
  if (d.type === 'record' && d.valueType) return [d.valueType];
  if (d.type === 'array' && d.element) return [d.element];
  return [];
}

/** Keys allowed by the object schema(s) at `path` under `schema` (empty when none is known). */
export function allowedConfigKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let at = unwrap(schema);
  for (const seg of path) at = at.flatMap((s) => child(s, seg)).flatMap((s) => unwrap(s));
  const keys = new Set<string>();
  for (const s of at) {
    const d = defOf(s);
    if (d.type === 'object' && d.shape) for (const k of Object.keys(d.shape)) keys.add(k);
  }
  return [...keys];
}
