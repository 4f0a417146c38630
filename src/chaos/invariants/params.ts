/**
 * Reading invariant params as they come from YAML. Durations may be strings (`1500ms`, `2s`) or numbers
 * (milliseconds). Unknown keys are errors, so a typo never silently falls back to a default. Every error
 * is a RangeError naming the invariant, the param and the bad value.
 */
import { closest } from '../../core/closest.js';
import { parseDuration } from '../../core/duration.js';

export type RawParams = Record<string, unknown>;

function fail(invariant: string, key: string, value: unknown, expected: string): never {
  throw new RangeError(
    `invariant ${invariant}: param ${key} must be ${expected}, got ${JSON.stringify(value)}`,
  );
}

/** Throws when `raw` has a key outside `allowed`. */
export function checkKeys(
  invariant: string,
  raw: RawParams | null | undefined,
  allowed: readonly string[],
): RawParams {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new RangeError(`invariant ${invariant}: params must be a mapping, got ${JSON.stringify(raw)}`);
  }
  for (const k of Object.keys(raw)) {
    if (!allowed.includes(k)) {
      const hint = closest(k, allowed);
      const known = hint
        ? `did you mean "${hint}"?`
        : `known: ${allowed.length ? allowed.join(', ') : 'none'}`;
      throw new RangeError(`invariant ${invariant}: unknown param "${k}" (${known})`);
    }
  }
  return raw;
}

/** A duration param in ms (≥ 0); undefined when absent. */
export function durationParam(invariant: string, raw: RawParams, key: string): number | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) fail(invariant, key, v, 'a duration ≥ 0 (e.g. 1500ms; numbers are ms)');
    return v;
  }
  if (typeof v !== 'string') fail(invariant, key, v, 'a duration (e.g. 1500ms, 2s)');
  try {
    return parseDuration(v);
  } catch {
    return fail(invariant, key, v, 'a duration (e.g. 1500ms, 2s)');
  }
}

/** A number param within [min, max] (integer when asked); undefined when absent. Accepts `50%` for ratios. */
export function numberParam(
  invariant: string,
  raw: RawParams,
  key: string,
  range: { min?: number; max?: number; integer?: boolean; percent?: boolean } = {},
): number | undefined {
  let v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (range.percent && typeof v === 'string' && /^\s*\d+(\.\d+)?\s*%\s*$/.test(v))
    v = Number.parseFloat(v) / 100;
  const min = range.min ?? Number.NEGATIVE_INFINITY;
  const max = range.max ?? Number.POSITIVE_INFINITY;
  const what = `${range.integer ? 'an integer' : 'a number'} in [${min}, ${max}]`;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(invariant, key, v, what);
  if (range.integer && !Number.isInteger(v)) fail(invariant, key, v, what);
  return v;
}

/** A non-empty string param; undefined when absent. */
export function stringParam(invariant: string, raw: RawParams, key: string): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length === 0) fail(invariant, key, v, 'a non-empty string');
  return v;
}

/** A boolean param; undefined when absent. */
export function booleanParam(invariant: string, raw: RawParams, key: string): boolean | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') fail(invariant, key, v, 'true or false');
  return v;
}

/**
 * A value resolved per server (a default derived from each server's settings). Reported as one number
 * when every server agrees, else as `{server: value}`.
 */
export function perServerValue(values: Record<string, number>): number | Record<string, number> | undefined {
  const vs = Object.values(values);
  if (vs.length === 0) return undefined;
  return vs.every((v) => v === vs[0]) ? vs[0] : values;
}

/** The `fault` (name) and `within` (duration) params several timing invariants share; absent = not set. */
export function faultWithinParams(invariant: string, raw: RawParams): { fault?: string; withinMs?: number } {
  const out: { fault?: string; withinMs?: number } = {};
  const fault = stringParam(invariant, raw, 'fault');
  const withinMs = durationParam(invariant, raw, 'within');
  if (fault !== undefined) out.fault = fault;
  if (withinMs !== undefined) out.withinMs = withinMs;
  return out;
}
