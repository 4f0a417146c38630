/**
 * Per-endpoint index of a history: breaker and health transitions, ejection intervals, attempt times.
 * Built in one pass and cached per history; invariants query it with binary searches instead of rescanning.
 */
import type { BreakerState, HealthState, Outcome } from '../../manager/types.js';
import type { History, HistoryEvent } from '../history.js';
import { serverOf } from './fault-windows.js';
import { relativeT } from './relative-time.js';

/** The transitions of one state machine on one endpoint. */
export interface StateTrack<S extends string> {
  /** State before the first transition (the first event's `from`, else the configured start state). */
  initial: S;
  /** Transition times, non-decreasing. */
  t: number[];
  to: S[];
  events: HistoryEvent[];
}

export interface EjectionInterval {
  fromT: number;
  /** Un-ejection: an `ejected: false` event or `untilT`, whichever is earlier (Infinity when neither). */
  toT: number;
  event: HistoryEvent;
}

export interface EndpointRecord {
  endpoint: string;
  server: string;
  breaker: StateTrack<BreakerState>;
  health: StateTrack<HealthState>;
  ejections: EjectionInterval[];
  /** attempt-start times and events. */
  attemptT: number[];
  attempts: HistoryEvent[];
  /** attempt-end times and outcomes. */
  attemptEndT: number[];
  attemptEndOutcome: Outcome[];
  /** connection events (connected, process-exit, process-restart, …). */
  connections: HistoryEvent[];
}

const cache = new WeakMap<History, { length: number; index: Map<string, EndpointRecord> }>();

/** Breaker state an endpoint starts in, from its server's configured mode. */
export function initialBreakerState(history: History, server: string): BreakerState {
  const mode = history.settings[server]?.breaker.mode;
  return mode === 'forced-open' ? 'forced-open' : mode === 'disabled' ? 'disabled' : 'closed';
}

/** Every endpoint's record, keyed by endpoint id (declared endpoints first, then any seen in events). */
export function endpointIndex(history: History): Map<string, EndpointRecord> {
  const hit = cache.get(history);
  if (hit && hit.length === history.events.length) return hit.index;
  const index = buildIndex(history);
  cache.set(history, { length: history.events.length, index });
  return index;
}

function newRecord(history: History, endpoint: string): EndpointRecord {
  const server = serverOf(history, endpoint);
  return {
    endpoint,
    server,
    breaker: { initial: initialBreakerState(history, server), t: [], to: [], events: [] },
    health: { initial: 'unknown', t: [], to: [], events: [] },
    ejections: [],
    attemptT: [],
    attempts: [],
    attemptEndT: [],
    attemptEndOutcome: [],
    connections: [],
  };
}

function buildIndex(history: History): Map<string, EndpointRecord> {
  const index = new Map<string, EndpointRecord>();
  for (const ep of Object.keys(history.endpoints)) index.set(ep, newRecord(history, ep));
  const get = (ep: string): EndpointRecord => {
    let r = index.get(ep);
    if (!r) {
      r = newRecord(history, ep);
      index.set(ep, r);
    }
    return r;
  };
  for (const e of history.events) {
    switch (e.type) {
      case 'attempt-start': {
        const r = get(e.endpoint);
        r.attemptT.push(e.t);
        r.attempts.push(e);
        break;
      }
      case 'attempt-end': {
        const r = get(e.endpoint);
        r.attemptEndT.push(e.t);
        r.attemptEndOutcome.push(e.outcome);
        break;
      }
      case 'breaker': {
        const r = get(e.endpoint);
        if (r.breaker.t.length === 0) r.breaker.initial = e.from;
        r.breaker.t.push(e.t);
        r.breaker.to.push(e.to);
        r.breaker.events.push(e);
        break;
      }
      case 'health': {
        const r = get(e.endpoint);
        if (r.health.t.length === 0) r.health.initial = e.from;
        r.health.t.push(e.t);
        r.health.to.push(e.to);
        r.health.events.push(e);
        break;
      }
      case 'ejection': {
        const r = get(e.endpoint);
        const open = r.ejections[r.ejections.length - 1];
        const isOpen = open !== undefined && open.toT > e.t;
        if (e.ejected) {
          if (isOpen) open.toT = e.t;
          const until = e.untilT === undefined ? Number.POSITIVE_INFINITY : relativeT(history, e.untilT);
          r.ejections.push({ fromT: e.t, toT: Math.max(e.t, until), event: e });
        } else if (isOpen) {
          open.toT = e.t;
        }
        break;
      }
      case 'connection':
        get(e.endpoint).connections.push(e);
        break;
      default:
        break;
    }
  }
  return index;
}

/** Number of values in the sorted array `a` that are < t (strict) or ≤ t (inclusive). */
export function countBefore(a: ArrayLike<number>, t: number, inclusive: boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = a[mid]!;
    if (v < t || (inclusive && v === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** State after every transition at time < t (or ≤ t when `inclusive`). */
export function stateAt<S extends string>(track: StateTrack<S>, t: number, inclusive = true): S {
  const n = countBefore(track.t, t, inclusive);
  return n === 0 ? track.initial : track.to[n - 1]!;
}

/** Index of the first transition at time ≥ t (strictly > t when `strict`) whose target satisfies `pred`, or -1. */
export function firstTransition<S extends string>(
  track: StateTrack<S>,
  t: number,
  pred: (to: S) => boolean,
  strict = false,
): number {
  for (let i = countBefore(track.t, t, strict); i < track.t.length; i++) if (pred(track.to[i]!)) return i;
  return -1;
}

/** True when the endpoint is ejected at time t. */
export function ejectedAt(rec: EndpointRecord, t: number): boolean {
  for (let i = rec.ejections.length - 1; i >= 0; i--) {
    const iv = rec.ejections[i]!;
    if (iv.fromT <= t) return t < iv.toT;
  }
  return false;
}
