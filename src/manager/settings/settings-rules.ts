/**
 * The value rules of the resilience settings, each written once and used by both the input schema
 * (`settings-schema.ts`: config file and scenario) and the resolved check (`settings.ts`), plus the
 * breaker's cross-field policy rule and the small helpers both need.
 */
import { z } from 'zod';
import { durationProblem } from '../../core/duration.js';
import { RATE_TRIP_FIELDS } from '../settings-kinds.js';

const int = (min: number, max?: number) => {
  const s = z.number().int().min(min);
  return max === undefined ? s : s.max(max);
};

/** Rules of the non-duration settings (a fresh schema per call, so descriptions never leak). */
export const RULES = {
  failures: () => int(1),
  minCalls: () => int(1),
  windowCalls: () => int(1),
  halfOpenTrials: () => int(1),
  /** A rate in (0, 1]: failureRate, slowCall.rate. */
  rate: () => z.number().gt(0).max(1),
  multiplier: () => z.number().min(1),
  probeCount: () => int(1),
  ejectAfter: () => int(0),
  percent: () => z.number().min(0).max(100),
  attempts: () => int(1, 10),
  nonNegative: () => z.number().min(0),
  percentile: () => z.number().gt(0).lt(100),
  hedgesInFlight: () => int(1),
  inFlight: () => int(1),
  queue: () => int(0),
  sockets: () => int(1),
  /** An answer's size limit: at least 1 KiB. */
  responseBytes: () => int(1024),
} as const;

/** Rules of the resolved durations (ms). */
export const MS_RULES = {
  positive: () => z.number().gt(0),
  nonNegative: () => z.number().min(0),
  /** A time window is at least 10 ms (its buckets are a tenth of it). */
  window: () => z.number().min(10),
} as const;

/** The message for a breaker `window` that fits none of its forms. */
export function windowProblem(input: unknown): string {
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    return 'window must be {kind: time, size: <duration>} or {kind: count, size: <calls>}';
  }
  return `window: ${durationProblem(input)} or {kind: count, size: N}`;
}

/** A problem found by a cross-field rule; `path` is relative to the object checked. */
export interface FieldProblem {
  path: string[];
  message: string;
}

/**
 * The breaker's policy rule in the written form: the fields of one trip policy must not be mixed with the
 * other's. Runs on any value (a raw YAML map included); returns every problem, keyed at the field.
 */
export function breakerPolicyProblems(b: unknown): FieldProblem[] {
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return [];
  const o = b as Record<string, unknown>;
  const rateGiven = RATE_TRIP_FIELDS.filter((k) => o[k] !== undefined);
  if (o.policy === 'consecutive') {
    return rateGiven.map((k) => ({ path: [k], message: `${k} belongs to policy: rate` }));
  }
  if (o.policy === 'rate') {
    return o.failures === undefined
      ? []
      : [{ path: ['failures'], message: 'failures belongs to policy: consecutive (rate uses failureRate)' }];
  }
  if (o.policy === undefined && o.failures !== undefined && rateGiven.length > 0) {
    return [
      {
        path: ['failures'],
        message: `failures (policy consecutive) cannot be combined with ${rateGiven.join(', ')} (policy rate)`,
      },
    ];
  }
  return [];
}

/**
 * Drops keys whose value is undefined or an empty map, so a layer never overrides a default with nothing.
 */
export function compact<T extends Record<string, unknown>>(
  obj: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const emptyMap = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
    if (v !== undefined && !emptyMap) out[k] = v;
  }
  return out as { [K in keyof T]: Exclude<T[K], undefined> };
}
