/**
 * `--time-scale F`: multiplies every duration of a scenario. Scaled values are rounded to 1 µs.
 * Scaled: duration, fault at/for, load ramp/timeout, every manager duration (all `...Ms` fields), mock
 * latency (also a deploy's), a deploy's every/drain, time-valued toxic attributes, `over D` windows, latency threshold values and duration-valued
 * invariant params. Not scaled: a spawned server's `ready` wait (process start-up does not get faster).
 */

import { parseDuration } from '../../core/duration.js';
import type { DeepPartial, ResilienceSettings } from '../../manager/types.js';
import { DURATION_PATTERN } from './scalars.js';
import { TOXIC_TIME_ATTRIBUTES } from './schema-faults.js';
import type { Threshold } from './threshold.js';
import type { FaultAction, InvariantRef } from './types.js';

/** Throws RangeError unless F is a finite number > 0. */
export function checkTimeScale(f: number): number {
  if (!Number.isFinite(f) || f <= 0) throw new RangeError(`time scale must be a number > 0, got ${f}`);
  return f;
}

/** ms × F, rounded to 1 µs. */
export function scaleMs(ms: number, f: number): number {
  return Math.round(ms * f * 1000) / 1000;
}

/** Scales every numeric field whose key ends in `Ms` (and everything inside such an object). */
/** Settings that bound start-up, not the scenario's timeline: never time-scaled (like `ready`). */
const UNSCALED_SETTINGS: ReadonlySet<string> = new Set(['connectTimeoutMs']);

export function scaleSettings(
  layer: DeepPartial<ResilienceSettings>,
  f: number,
): DeepPartial<ResilienceSettings> {
  const walk = (v: unknown, inMs: boolean): unknown => {
    if (typeof v === 'number') return inMs ? scaleMs(v, f) : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, false));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      // start-up is not on the scenario's timeline: a server takes as long to start at any time scale
      for (const [k, x] of Object.entries(v))
        out[k] = walk(x, inMs || (k.endsWith('Ms') && !UNSCALED_SETTINGS.has(k)));
      return out;
    }
    return v;
  };
  return walk(layer, false) as DeepPartial<ResilienceSettings>;
}

/** Scales time-valued toxic attributes; a non-zero value never rounds down to 0 (0 can mean "forever"). */
export function scaleAction(a: FaultAction, f: number): FaultAction {
  if (a.kind === 'mcp') {
    const action = { ...a.mcp.action };
    if (action.kind === 'status' && action.retryAfterMs !== undefined)
      action.retryAfterMs = scaleMs(action.retryAfterMs, f);
    if (action.kind === 'delay') action.ms = scaleMs(action.ms, f);
    return { kind: 'mcp', mcp: { ...a.mcp, action } };
  }
  if (a.kind === 'deploy') {
    const d = { ...a.deploy, everyMs: scaleMs(a.deploy.everyMs, f) };
    if (d.drainMs !== undefined) d.drainMs = scaleMs(d.drainMs, f);
    const lat = d.mock?.latency;
    if (d.mock && lat)
      d.mock = { ...d.mock, latency: { p50Ms: scaleMs(lat.p50Ms, f), p99Ms: scaleMs(lat.p99Ms, f) } };
    return { kind: 'deploy', deploy: d };
  }
  if (a.kind !== 'toxic') return { ...a };
  const time = TOXIC_TIME_ATTRIBUTES[a.toxic.type];
  const attributes: Record<string, number> = {};
  for (const [k, v] of Object.entries(a.toxic.attributes)) {
    attributes[k] = k in time && v > 0 ? Math.max(1, Math.round(v * f)) : v;
  }
  return { kind: 'toxic', toxic: { ...a.toxic, attributes } };
}

export function scaleThreshold(t: Threshold, f: number): Threshold {
  const latency = t.metric === 'p' || t.metric === 'avg' || t.metric === 'max';
  const out: Threshold = { ...t, value: latency ? scaleMs(t.value, f) : t.value };
  if (t.window.kind === 'over') out.window = { kind: 'over', ms: scaleMs(t.window.ms, f) };
  return out;
}

/** Invariant params whose numbers are durations in ms (the invariants module accepts both forms). */
export const DURATION_PARAM_KEYS: readonly string[] = ['within', 'grace', 'window', 'slack'];

/**
 * Scales duration-valued invariant params: every duration string (e.g. `1500ms` at F=0.1 → `150ms`; they
 * stay strings), and numbers (ms) under a {@link DURATION_PARAM_KEYS} key, also inside per-server maps.
 */
export function scaleInvariant(inv: InvariantRef, f: number): InvariantRef {
  const walk = (v: unknown, msKey: boolean): unknown => {
    if (typeof v === 'string' && DURATION_PATTERN.test(v)) return `${scaleMs(parseDuration(v), f)}ms`;
    if (typeof v === 'number' && msKey) return scaleMs(v, f);
    if (Array.isArray(v)) return v.map((x) => walk(x, msKey));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, walk(x, msKey || DURATION_PARAM_KEYS.includes(k))]),
      );
    }
    return v;
  };
  return { name: inv.name, params: walk(inv.params, false) as Record<string, unknown> };
}
