/**
 * Maps a validated `manager:` section (YAML names, duration strings) to a `DeepPartial<ResilienceSettings>`
 * layer (types.ts names, ms): `callTimeout → callTimeoutMs`, `breaker.policy/failures/window/... →
 * breaker.trip`, `openFor → openForMs`, `backoff.max → backoff.maxMs`, `retry.backoff → retry.backoffMs`, ...
 * Only fields present in the file appear in the layer; the manager fills its defaults.
 */
import type { BreakerSettings, DeepPartial, ResilienceSettings } from '../../manager/types.js';
import { type DurationText, durationMs } from './scalars.js';
import type { ManagerInput } from './schema-manager.js';

type Obj = Record<string, unknown>;

/** Drops undefined values and empty objects. */
function compact(obj: Obj): Obj | undefined {
  const out: Obj = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return Object.keys(out).length === 0 ? undefined : out;
}

const ms = (d: DurationText | undefined): number | undefined => (d === undefined ? undefined : durationMs(d));

/** Which trip policy the breaker fields imply (explicit `policy` wins). */
export function impliedPolicy(b: NonNullable<ManagerInput['breaker']>): 'consecutive' | 'rate' | undefined {
  if (b.policy !== undefined) return b.policy;
  if (b.failures !== undefined) return 'consecutive';
  const rateLike =
    b.window !== undefined ||
    b.minCalls !== undefined ||
    b.failureRate !== undefined ||
    b.slowCall !== undefined;
  return rateLike ? 'rate' : undefined;
}

function breakerLayer(b: NonNullable<ManagerInput['breaker']>): DeepPartial<BreakerSettings> | undefined {
  const policy = impliedPolicy(b);
  let trip: Obj | undefined;
  if (policy === 'consecutive') trip = compact({ policy, failures: b.failures });
  if (policy === 'rate') {
    const w = b.window;
    const window =
      w === undefined
        ? undefined
        : typeof w === 'object'
          ? w.kind === 'time'
            ? { kind: 'time', sizeMs: durationMs(w.size) }
            : { kind: 'count', size: w.size }
          : { kind: 'time', sizeMs: durationMs(w) };
    trip = compact({
      policy,
      window,
      minCalls: b.minCalls,
      failureRate: b.failureRate,
      slowCall: b.slowCall && { overMs: durationMs(b.slowCall.over), rate: b.slowCall.rate },
    });
  }
  return compact({
    mode: b.mode,
    trip,
    openForMs: ms(b.openFor),
    backoff: b.backoff && { multiplier: b.backoff.multiplier, maxMs: durationMs(b.backoff.max) },
    halfOpenTrials: b.halfOpenTrials,
    countedFailures: b.countedFailures && [...b.countedFailures],
  }) as DeepPartial<BreakerSettings> | undefined;
}

/**
 * The settings layer of a validated manager section ({} when absent). `hedge: {}` stays `{}` (hedging on,
 * with the manager's defaults); other empty sections are dropped.
 */
export function managerLayer(m: ManagerInput | undefined): DeepPartial<ResilienceSettings> {
  if (m === undefined) return {};
  const h = m.health;
  const e = m.ejection;
  const r = m.retry;
  const p = m.pool;
  const hd = m.hedge;
  const layer = compact({
    callTimeoutMs: ms(m.callTimeout),
    breaker: m.breaker && breakerLayer(m.breaker),
    health:
      h &&
      compact({
        probe: h.probe,
        intervalMs: ms(h.interval),
        timeoutMs: ms(h.timeout),
        jitterMs: ms(h.jitter),
        unhealthyAfter: h.unhealthyAfter,
        healthyAfter: h.healthyAfter,
        unhealthyIntervalMs: ms(h.unhealthyInterval),
      }),
    ejection:
      e &&
      compact({
        consecutiveFailures: e.consecutiveFailures,
        baseTimeMs: ms(e.baseTime),
        maxTimeMs: ms(e.maxTime),
        maxPercent: e.maxPercent,
      }),
    balancer: m.balancer,
    retry:
      r &&
      compact({
        attempts: r.attempts,
        budget: r.budget && compact({ ratio: r.budget.ratio, minPerSecond: r.budget.minPerSecond }),
        backoffMs: r.backoff && compact({ baseMs: ms(r.backoff.base), maxMs: ms(r.backoff.max) }),
      }),
    pool:
      p &&
      compact({
        maxInFlight: p.maxInFlight,
        queue: p.queue,
        acquireTimeoutMs: ms(p.acquireTimeout),
        maxSockets: p.maxSockets,
      }),
    hedge:
      hd &&
      (compact({ percentile: hd.percentile, minDelayMs: ms(hd.minDelay), maxInFlight: hd.maxInFlight }) ??
        {}),
  });
  return (layer ?? {}) as DeepPartial<ResilienceSettings>;
}

/** Deep-merges settings layers (later wins; arrays replaced; a changed trip policy starts afresh). */
export function mergeLayers(...layers: DeepPartial<ResilienceSettings>[]): DeepPartial<ResilienceSettings> {
  const out: Obj = {};
  for (const layer of layers) mergeInto(out, layer as Obj, '');
  return out as DeepPartial<ResilienceSettings>;
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function mergeInto(target: Obj, layer: Obj, path: string): void {
  for (const [k, v] of Object.entries(layer)) {
    const p = path ? `${path}.${k}` : k;
    if (isObj(v)) {
      const cur = target[k];
      const restart =
        !isObj(cur) ||
        (p === 'breaker.trip' && cur.policy !== v.policy) ||
        (p === 'breaker.trip.window' && cur.kind !== v.kind);
      const next: Obj = restart ? {} : { ...cur };
      mergeInto(next, v, p);
      target[k] = next;
    } else {
      target[k] = Array.isArray(v) ? [...v] : v;
    }
  }
}
