/**
 * The check of a resolved {@link ResilienceSettings} (ms, every field present), built from the same rules
 * and lists as the written form. `resolvedSettingsProblems` returns every problem as `path: message`, e.g.
 * `breaker.openForMs: must be > 0, got -1`, one per path.
 */

import { z } from 'zod';
import { closest } from '../../core/closest.js';
import * as kinds from '../settings-kinds.js';
import { allowedConfigKeys } from './schema-keys.js';
import { MS_RULES, RULES } from './settings-rules.js';

const ms = MS_RULES;

/** The settings an endpoint may override (EndpointConfig.settings), resolved. */
export const endpointSettingsShape = {
  attemptTimeoutMs: ms.positive().optional(),
  idleTimeoutMs: ms.positive().optional(),
  retryAfter: z.enum(kinds.RETRY_AFTER_MODES),
  maxResponseBytes: RULES.responseBytes(),
  protocol: z.enum(kinds.PROTOCOL_MODES),
  connectTimeoutMs: ms.positive(),
};

const resolvedSchema = z.strictObject({
  callTimeoutMs: ms.positive(),
  ...endpointSettingsShape,
  breaker: z.strictObject({
    mode: z.enum(kinds.BREAKER_MODES).optional(),
    // Both policies' fields are optional here; which belong to which is checked by crossFieldProblems.
    trip: z.strictObject({
      policy: z.enum(kinds.TRIP_POLICIES),
      failures: RULES.failures().optional(),
      window: z
        .strictObject({
          kind: z.enum(['time', 'count']),
          sizeMs: ms.window().optional(),
          size: RULES.windowCalls().optional(),
        })
        .optional(),
      minCalls: RULES.minCalls().optional(),
      failureRate: RULES.rate().optional(),
      slowCall: z.strictObject({ overMs: ms.positive(), rate: RULES.rate() }).optional(),
    }),
    openForMs: ms.positive(),
    backoff: z.strictObject({ multiplier: RULES.multiplier(), maxMs: ms.positive() }).optional(),
    halfOpenTrials: RULES.halfOpenTrials(),
    countedFailures: z.array(z.enum(kinds.FAILURE_CLASSES)),
  }),
  health: z.strictObject({
    probe: z.enum(kinds.PROBE_KINDS),
    intervalMs: ms.positive(),
    timeoutMs: ms.positive(),
    jitterMs: ms.nonNegative(),
    unhealthyAfter: RULES.probeCount(),
    healthyAfter: RULES.probeCount(),
    unhealthyIntervalMs: ms.positive().optional(),
  }),
  ejection: z.strictObject({
    consecutiveFailures: RULES.ejectAfter(),
    baseTimeMs: ms.positive(),
    maxTimeMs: ms.positive(),
    maxPercent: RULES.percent(),
  }),
  balancer: z.enum(kinds.BALANCER_KINDS),
  retry: z.strictObject({
    attempts: RULES.attempts(),
    budget: z.strictObject({ ratio: RULES.nonNegative(), minPerSecond: RULES.nonNegative() }),
    backoffMs: z.strictObject({ baseMs: ms.nonNegative(), maxMs: ms.nonNegative() }),
    nonIdempotent: z.boolean(),
  }),
  hedge: z
    .strictObject({
      percentile: RULES.percentile(),
      minDelayMs: ms.nonNegative(),
      maxInFlight: RULES.hedgesInFlight(),
    })
    .optional(),
  pool: z.strictObject({
    maxInFlight: RULES.inFlight(),
    queue: RULES.queue(),
    acquireTimeoutMs: ms.nonNegative(),
    maxSockets: RULES.sockets(),
  }),
  fleet: z.strictObject({
    slowStartMs: ms.nonNegative(),
    drainMs: ms.nonNegative(),
    admitTimeoutMs: ms.positive(),
  }),
});

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every problem of a resolved settings object (or anything claiming to be one); [] when valid. */
export function resolvedSettingsProblems(s: unknown): string[] {
  if (!isObj(s)) return [`settings: must be an object, got ${show(s)}`];
  const out = new Map<string, string>();
  const add = (path: string, message: string) => {
    if (!out.has(path)) out.set(path, message);
  };
  const parsed = resolvedSchema.safeParse(s, { reportInput: true });
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const path = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const known = allowedConfigKeys(resolvedSchema, issue.path).filter((k) => !issue.keys.includes(k));
      for (const key of issue.keys) {
        const hint = closest(key, known);
        add(
          path === '' ? key : `${path}.${key}`,
          `unknown setting${hint ? ` (did you mean "${hint}"?)` : ''}`,
        );
      }
      continue;
    }
    add(path, issueText(issue, valueAt(s, issue.path)));
  }
  for (const [path, message] of crossFieldProblems(s)) add(path, message);
  return [...out].map(([path, message]) => `${path}: ${message}`);
}

function issueText(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'is required';
      if (issue.expected === 'int') return `must be an integer, got ${show(value)}`;
      return `must be ${issue.expected === 'object' || issue.expected === 'array' ? 'an' : 'a'} ${issue.expected}, got ${show(value)}`;
    case 'too_small':
      return `must be ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}, got ${show(value)}`;
    case 'too_big':
      return `must be ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}, got ${show(value)}`;
    case 'invalid_value':
      if (value === undefined) return 'is required';
      return `must be one of ${issue.values.join(', ')}, got ${show(value)}`;
    default:
      return issue.message;
  }
}

/** Rules across fields: which trip fields belong to which policy or window kind, and max ≥ base. */
function crossFieldProblems(s: Obj): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const num = (o: unknown, k: string): number | undefined => {
    const v = isObj(o) ? o[k] : undefined;
    return typeof v === 'number' && v >= 0 ? v : undefined;
  };
  const atLeast = (o: unknown, lo: string, hi: string, loValue: number | undefined, path: string) => {
    const max = num(o, hi);
    if (loValue !== undefined && max !== undefined && max < loValue) {
      out.push([`${path}.${hi}`, `must be >= ${lo} (${loValue}), got ${max}`]);
    }
  };
  const b = s.breaker;
  if (isObj(b)) {
    atLeast(b.backoff, 'breaker.openForMs', 'maxMs', num(b, 'openForMs'), 'breaker.backoff');
    const trip = b.trip;
    if (isObj(trip)) {
      const misplaced = (keys: readonly string[], policy: string) => {
        for (const k of keys) {
          if (trip[k] !== undefined) out.push([`breaker.trip.${k}`, `only applies to policy ${policy}`]);
        }
      };
      const required = (keys: readonly string[]) => {
        for (const k of keys) if (trip[k] === undefined) out.push([`breaker.trip.${k}`, 'is required']);
      };
      if (trip.policy === 'consecutive') {
        required(['failures']);
        misplaced(['window', 'minCalls', 'failureRate', 'slowCall'], 'rate');
      } else if (trip.policy === 'rate') {
        misplaced(['failures'], 'consecutive');
        required(['window', 'minCalls', 'failureRate']);
        const w = trip.window;
        if (isObj(w) && (w.kind === 'time' || w.kind === 'count')) {
          const [own, other] = w.kind === 'time' ? ['sizeMs', 'size'] : ['size', 'sizeMs'];
          if (w[own] === undefined) out.push([`breaker.trip.window.${own}`, 'is required']);
          if (w[other] !== undefined) {
            out.push([
              `breaker.trip.window.${other}`,
              `only applies to kind ${w.kind === 'time' ? 'count' : 'time'}`,
            ]);
          }
        }
      }
    }
  }
  const e = s.ejection;
  atLeast(e, 'ejection.baseTimeMs', 'maxTimeMs', num(e, 'baseTimeMs'), 'ejection');
  const r = s.retry;
  const bo = isObj(r) ? r.backoffMs : undefined;
  atLeast(bo, 'retry.backoffMs.baseMs', 'maxMs', num(bo, 'baseMs'), 'retry.backoffMs');
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path)
    out += typeof seg === 'number' ? `[${seg}]` : out === '' ? String(seg) : `.${String(seg)}`;
  return out;
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'an array' : String(v);
}
