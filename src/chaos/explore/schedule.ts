/**
 * A fault schedule: the timeline part of an explored scenario, in the scenario format's own shapes
 * (a fault's action is written exactly as in YAML) with times in nominal ms. `normalizeSchedule` makes any
 * list valid for the scenario validator — it fits each fault inside the run and drops a fault that would
 * overlap an earlier fault of the same kind on a shared endpoint — so the generator (and fast-check's shrinker,
 * which shrinks the raw list and maps it again) only ever yields valid schedules.
 */
import { parseTarget, selectReplicas } from '../scenario/index.js';

/** A toxic as written in YAML; time-valued attributes in ms (slicer `delay` in µs), sizes in bytes, KB/s. */
export interface ToxicDoc {
  type: 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';
  /** Omitted = downstream. */
  stream?: 'upstream' | 'downstream';
  /** Omitted = 1. */
  toxicity?: number;
  attributes: Record<string, number>;
}

export type FaultActionDoc = { toxic: ToxicDoc } | { down: true } | { process: 'kill' | 'pause' | 'restart' };

export interface ScheduledFault {
  /** Start, ms from load start (nominal). */
  atMs: number;
  /** Length in ms (nominal), > 0. */
  forMs: number;
  /** `svc[0]`, `svc[*]`, `svc[50%]`. */
  target: string;
  action: FaultActionDoc;
}

export type FaultSchedule = readonly ScheduledFault[];

/** The validator's overlap rule: two faults with the same key must not overlap on an endpoint. */
export function overlapKeyOf(a: FaultActionDoc): string {
  if ('toxic' in a) return `toxic ${a.toxic.type} (${a.toxic.stream ?? 'downstream'})`;
  return 'down' in a ? 'down' : 'process';
}

/** Replica indexes a target selects (throws RangeError on a malformed target). */
export function targetReplicas(target: string, replicas: number): number[] {
  const t = parseTarget(target);
  if (typeof t === 'string') throw new RangeError(t);
  return selectReplicas(t.selector, replicas).filter((i) => i < replicas);
}

/** Short human label of an action: `timeout(0)`, `latency 1200ms`, `down`, `process kill`. */
export function describeAction(a: FaultActionDoc): string {
  if ('down' in a) return 'down';
  if ('process' in a) return `process ${a.process}`;
  const attrs = Object.entries(a.toxic.attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const extra = [
    a.toxic.stream === 'upstream' ? 'upstream' : '',
    a.toxic.toxicity !== undefined && a.toxic.toxicity < 1 ? `toxicity=${a.toxic.toxicity}` : '',
  ].filter(Boolean);
  return [a.toxic.type, attrs, ...extra].filter(Boolean).join(' ');
}

export interface NormalizeOptions {
  /** Load duration (nominal ms). */
  durationMs: number;
  replicas: number;
  /** Shortest fault kept (ms, default 50). */
  minForMs?: number;
}

/**
 * Valid by construction: a fault's length is kept (at least `minForMs`, at most the run), and one that
 * would run past the end is moved earlier so it ends with the run — so shrinking a fault's raw `at` or
 * `for` never makes the fault longer. A fault overlapping an earlier kept one with the same
 * {@link overlapKeyOf} on a shared endpoint is dropped. Order is kept.
 */
export function normalizeSchedule(faults: readonly ScheduledFault[], o: NormalizeOptions): ScheduledFault[] {
  const minFor = Math.min(o.minForMs ?? 50, o.durationMs);
  const kept: Array<{ f: ScheduledFault; key: string; eps: number[] }> = [];
  for (const f of faults) {
    const forMs = Math.min(o.durationMs, Math.max(minFor, Math.round(f.forMs)));
    const atMs = Math.min(Math.max(0, Math.round(f.atMs)), o.durationMs - forMs);
    const eps = targetReplicas(f.target, o.replicas);
    if (eps.length === 0) continue;
    const key = overlapKeyOf(f.action);
    const clash = kept.some(
      (k) =>
        k.key === key &&
        atMs < k.f.atMs + k.f.forMs &&
        k.f.atMs < atMs + forMs &&
        k.eps.some((e) => eps.includes(e)),
    );
    if (clash) continue;
    kept.push({ f: { ...f, atMs, forMs }, key, eps });
  }
  return kept.map((k) => k.f);
}
