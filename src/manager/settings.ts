/**
 * Resolving and validating resilience settings. `resolveSettings` deep-merges partial layers over
 * {@link DEFAULT_SETTINGS}; `validateSettings` returns every problem with its path.
 */
import { ChaosError } from '../core/errors.js';
import {
  DEFAULT_CONSECUTIVE_TRIP,
  DEFAULT_COUNT_WINDOW_SIZE,
  DEFAULT_HEDGE,
  DEFAULT_RATE_TRIP,
  DEFAULT_SETTINGS,
} from './defaults.js';
import type { DeepPartial, FailureClass, ResilienceSettings } from './types.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = clone(x);
    return out as T;
  }
  return v;
}

/**
 * When a layer changes the kind of a union-typed object, the merge starts over from that kind's
 * defaults instead of mixing fields of two kinds.
 */
function rebase(path: string, current: unknown, incoming: Obj): unknown {
  if (path === 'breaker.trip' && typeof incoming.policy === 'string') {
    const cur = isObj(current) ? current.policy : undefined;
    if (incoming.policy !== cur) {
      if (incoming.policy === 'rate') return clone(DEFAULT_RATE_TRIP);
      if (incoming.policy === 'consecutive') return clone(DEFAULT_CONSECUTIVE_TRIP);
      return {};
    }
  }
  if (path === 'breaker.trip.window' && typeof incoming.kind === 'string') {
    const cur = isObj(current) ? current.kind : undefined;
    if (incoming.kind !== cur) {
      if (incoming.kind === 'time') return { kind: 'time', sizeMs: 10_000 };
      if (incoming.kind === 'count') return { kind: 'count', size: DEFAULT_COUNT_WINDOW_SIZE };
      return {};
    }
  }
  if (path === 'hedge' && current === undefined) return clone(DEFAULT_HEDGE);
  return current;
}

function mergeInto(target: Obj, layer: Obj, prefix: string): void {
  for (const [key, value] of Object.entries(layer)) {
    if (value === undefined) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (isObj(value)) {
      const base = rebase(path, target[key], value);
      const next: Obj = isObj(base) ? (base === target[key] ? base : clone(base)) : {};
      mergeInto(next, value, path);
      target[key] = next;
    } else {
      target[key] = clone(value);
    }
  }
}

/**
 * Deep-merges `layers` (later wins) over the defaults and returns a fresh object. Arrays are replaced,
 * `undefined` values are skipped. Switching `breaker.trip.policy` (or `breaker.trip.window.kind`) starts
 * that object from the new kind's defaults (rate → time window 10 000 ms, minCalls 20, failureRate 0.5;
 * count window → size 100); setting any `hedge` field fills the other hedge fields from DEFAULT_HEDGE.
 * Does not validate: call {@link validateSettings} (or {@link assertValidSettings}) on the result.
 */
export function resolveSettings(
  ...layers: Array<DeepPartial<ResilienceSettings> | undefined>
): ResilienceSettings {
  const out = clone(DEFAULT_SETTINGS) as unknown as Obj;
  for (const layer of layers) if (isObj(layer)) mergeInto(out, layer, '');
  return out as unknown as ResilienceSettings;
}

// ---------------------------------------------------------------------------------------------------

const FAILURE_CLASSES: readonly FailureClass[] = [
  'connection',
  'timeout',
  'session-lost',
  'server-5xx',
  'tool-error',
  'protocol',
];

interface NumRule {
  /** value ≥ min */
  min?: number;
  /** value > gt */
  gt?: number;
  /** value ≤ max */
  max?: number;
  integer?: boolean;
  optional?: boolean;
}

class Checker {
  readonly problems: string[] = [];
  add(path: string, msg: string): void {
    this.problems.push(`${path}: ${msg}`);
  }
  obj(parent: Obj, key: string, path: string, allowed: readonly string[], optional = false): Obj | undefined {
    const v = parent[key];
    if (v === undefined) {
      if (!optional) this.add(path, 'is required');
      return undefined;
    }
    if (!isObj(v)) {
      this.add(path, `must be an object, got ${show(v)}`);
      return undefined;
    }
    for (const k of Object.keys(v)) {
      if (!allowed.includes(k)) this.add(path === '' ? k : `${path}.${k}`, 'unknown setting');
    }
    return v;
  }
  num(parent: Obj, key: string, path: string, rule: NumRule): number | undefined {
    const v = parent[key];
    if (v === undefined) {
      if (!rule.optional) this.add(path, 'is required');
      return undefined;
    }
    if (typeof v !== 'number' || Number.isNaN(v)) {
      this.add(path, `must be a number, got ${show(v)}`);
      return undefined;
    }
    if (rule.integer && !Number.isInteger(v)) this.add(path, `must be an integer, got ${v}`);
    else if (rule.gt !== undefined && !(v > rule.gt)) this.add(path, `must be > ${rule.gt}, got ${v}`);
    else if (rule.min !== undefined && v < rule.min) this.add(path, `must be >= ${rule.min}, got ${v}`);
    else if (rule.max !== undefined && v > rule.max) this.add(path, `must be <= ${rule.max}, got ${v}`);
    else return v;
    return undefined;
  }
  oneOf(parent: Obj, key: string, path: string, allowed: readonly string[], optional = false): void {
    const v = parent[key];
    if (v === undefined) {
      if (!optional) this.add(path, 'is required');
    } else if (typeof v !== 'string' || !allowed.includes(v)) {
      this.add(path, `must be one of ${allowed.join(', ')}, got ${show(v)}`);
    }
  }
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'an array' : String(v);
}

function checkBreaker(c: Checker, b: Obj): void {
  c.oneOf(b, 'mode', 'breaker.mode', ['normal', 'disabled', 'forced-open'], true);
  const openFor = c.num(b, 'openForMs', 'breaker.openForMs', { gt: 0 });
  c.num(b, 'halfOpenTrials', 'breaker.halfOpenTrials', { integer: true, min: 1 });
  const counted = b.countedFailures;
  if (counted === undefined) c.add('breaker.countedFailures', 'is required');
  else if (!Array.isArray(counted))
    c.add('breaker.countedFailures', `must be an array, got ${show(counted)}`);
  else
    counted.forEach((f, i) => {
      if (!FAILURE_CLASSES.includes(f)) {
        c.add(
          `breaker.countedFailures[${i}]`,
          `must be one of ${FAILURE_CLASSES.join(', ')}, got ${show(f)}`,
        );
      }
    });
  const backoff = c.obj(b, 'backoff', 'breaker.backoff', ['multiplier', 'maxMs'], true);
  if (backoff) {
    c.num(backoff, 'multiplier', 'breaker.backoff.multiplier', { min: 1 });
    const max = c.num(backoff, 'maxMs', 'breaker.backoff.maxMs', { gt: 0 });
    if (max !== undefined && openFor !== undefined && max < openFor) {
      c.add('breaker.backoff.maxMs', `must be >= breaker.openForMs (${openFor}), got ${max}`);
    }
  }
  const trip = c.obj(b, 'trip', 'breaker.trip', [
    'policy',
    'failures',
    'window',
    'minCalls',
    'failureRate',
    'slowCall',
  ]);
  if (!trip) return;
  c.oneOf(trip, 'policy', 'breaker.trip.policy', ['consecutive', 'rate']);
  if (trip.policy === 'consecutive') {
    c.num(trip, 'failures', 'breaker.trip.failures', { integer: true, min: 1 });
    for (const k of ['window', 'minCalls', 'failureRate', 'slowCall']) {
      if (trip[k] !== undefined) c.add(`breaker.trip.${k}`, 'only applies to policy rate');
    }
  } else if (trip.policy === 'rate') {
    if (trip.failures !== undefined) c.add('breaker.trip.failures', 'only applies to policy consecutive');
    const w = c.obj(trip, 'window', 'breaker.trip.window', ['kind', 'sizeMs', 'size']);
    if (w) {
      c.oneOf(w, 'kind', 'breaker.trip.window.kind', ['time', 'count']);
      if (w.kind === 'time') {
        c.num(w, 'sizeMs', 'breaker.trip.window.sizeMs', { min: 10 });
        if (w.size !== undefined) c.add('breaker.trip.window.size', 'only applies to kind count');
      } else if (w.kind === 'count') {
        c.num(w, 'size', 'breaker.trip.window.size', { integer: true, min: 1 });
        if (w.sizeMs !== undefined) c.add('breaker.trip.window.sizeMs', 'only applies to kind time');
      }
    }
    c.num(trip, 'minCalls', 'breaker.trip.minCalls', { integer: true, min: 1 });
    c.num(trip, 'failureRate', 'breaker.trip.failureRate', { gt: 0, max: 1 });
    const slow = c.obj(trip, 'slowCall', 'breaker.trip.slowCall', ['overMs', 'rate'], true);
    if (slow) {
      c.num(slow, 'overMs', 'breaker.trip.slowCall.overMs', { gt: 0 });
      c.num(slow, 'rate', 'breaker.trip.slowCall.rate', { gt: 0, max: 1 });
    }
  }
}

/**
 * Checks a resolved settings object (or anything claiming to be one, e.g. parsed YAML) and returns
 * every problem as `path: message`, e.g. `breaker.openForMs: must be > 0, got -1`. Empty = valid.
 */
export function validateSettings(s: unknown): string[] {
  const c = new Checker();
  if (!isObj(s)) return [`settings: must be an object, got ${show(s)}`];
  const root = { s };
  const top = c.obj(root, 's', '', [
    'callTimeoutMs',
    'breaker',
    'health',
    'ejection',
    'balancer',
    'retry',
    'hedge',
    'pool',
  ]);
  if (!top) return c.problems;
  c.num(top, 'callTimeoutMs', 'callTimeoutMs', { gt: 0 });
  const b = c.obj(top, 'breaker', 'breaker', [
    'mode',
    'trip',
    'openForMs',
    'backoff',
    'halfOpenTrials',
    'countedFailures',
  ]);
  if (b) checkBreaker(c, b);
  const h = c.obj(top, 'health', 'health', [
    'probe',
    'intervalMs',
    'timeoutMs',
    'jitterMs',
    'unhealthyAfter',
    'healthyAfter',
    'unhealthyIntervalMs',
  ]);
  if (h) {
    c.oneOf(h, 'probe', 'health.probe', ['ping', 'list-tools', 'none']);
    c.num(h, 'intervalMs', 'health.intervalMs', { gt: 0 });
    c.num(h, 'timeoutMs', 'health.timeoutMs', { gt: 0 });
    c.num(h, 'jitterMs', 'health.jitterMs', { min: 0 });
    c.num(h, 'unhealthyAfter', 'health.unhealthyAfter', { integer: true, min: 1 });
    c.num(h, 'healthyAfter', 'health.healthyAfter', { integer: true, min: 1 });
    c.num(h, 'unhealthyIntervalMs', 'health.unhealthyIntervalMs', { gt: 0, optional: true });
  }
  const e = c.obj(top, 'ejection', 'ejection', [
    'consecutiveFailures',
    'baseTimeMs',
    'maxTimeMs',
    'maxPercent',
  ]);
  if (e) {
    c.num(e, 'consecutiveFailures', 'ejection.consecutiveFailures', { integer: true, min: 0 });
    const base = c.num(e, 'baseTimeMs', 'ejection.baseTimeMs', { gt: 0 });
    const max = c.num(e, 'maxTimeMs', 'ejection.maxTimeMs', { gt: 0 });
    if (base !== undefined && max !== undefined && max < base) {
      c.add('ejection.maxTimeMs', `must be >= ejection.baseTimeMs (${base}), got ${max}`);
    }
    c.num(e, 'maxPercent', 'ejection.maxPercent', { min: 0, max: 100 });
  }
  c.oneOf(top, 'balancer', 'balancer', ['round-robin', 'least-in-flight', 'p2c', 'weighted', 'sticky']);
  const r = c.obj(top, 'retry', 'retry', ['attempts', 'budget', 'backoffMs']);
  if (r) {
    c.num(r, 'attempts', 'retry.attempts', { integer: true, min: 1 });
    const bud = c.obj(r, 'budget', 'retry.budget', ['ratio', 'minPerSecond']);
    if (bud) {
      c.num(bud, 'ratio', 'retry.budget.ratio', { min: 0 });
      c.num(bud, 'minPerSecond', 'retry.budget.minPerSecond', { min: 0 });
    }
    const bo = c.obj(r, 'backoffMs', 'retry.backoffMs', ['baseMs', 'maxMs']);
    if (bo) {
      const base = c.num(bo, 'baseMs', 'retry.backoffMs.baseMs', { min: 0 });
      const max = c.num(bo, 'maxMs', 'retry.backoffMs.maxMs', { min: 0 });
      if (base !== undefined && max !== undefined && max < base) {
        c.add('retry.backoffMs.maxMs', `must be >= retry.backoffMs.baseMs (${base}), got ${max}`);
      }
    }
  }
  const hd = c.obj(top, 'hedge', 'hedge', ['percentile', 'minDelayMs', 'maxInFlight'], true);
  if (hd) {
    c.num(hd, 'percentile', 'hedge.percentile', { gt: 0, max: 100 });
    c.num(hd, 'minDelayMs', 'hedge.minDelayMs', { min: 0 });
    c.num(hd, 'maxInFlight', 'hedge.maxInFlight', { integer: true, min: 0 });
  }
  const p = c.obj(top, 'pool', 'pool', ['maxInFlight', 'queue', 'acquireTimeoutMs', 'maxSockets']);
  if (p) {
    c.num(p, 'maxInFlight', 'pool.maxInFlight', { integer: true, min: 1 });
    c.num(p, 'queue', 'pool.queue', { integer: true, min: 0 });
    c.num(p, 'acquireTimeoutMs', 'pool.acquireTimeoutMs', { min: 0 });
    c.num(p, 'maxSockets', 'pool.maxSockets', { integer: true, min: 1 });
  }
  return c.problems;
}

/** Throws ChaosError INVALID_CONFIG listing every problem (details.problems) unless `s` is valid. */
export function assertValidSettings(s: unknown, label = 'settings'): asserts s is ResilienceSettings {
  const problems = validateSettings(s);
  if (problems.length > 0) {
    throw new ChaosError('INVALID_CONFIG', `invalid ${label}:\n  ${problems.join('\n  ')}`, {
      details: { problems },
    });
  }
}
