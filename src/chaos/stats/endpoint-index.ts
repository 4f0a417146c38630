/**
 * Per-endpoint view of a history: breaker and health transitions, ejection intervals, attempts. Built by
 * the shared history index (history-index.ts); invariants query it with binary searches instead of
 * rescanning. `seq` values are positions in `history.events`, which order events at the same instant.
 */
import type { BreakerState, HealthState, Outcome } from '../../manager/types.js';
import type { History, HistoryEvent } from '../history.js';

/** The transitions of one state machine on one endpoint. */
export interface StateTrack<S extends string> {
  /** State before the first transition (the first event's `from`, else the configured start state). */
  initial: S;
  /** Transition times, non-decreasing. */
  t: number[];
  /** Positions of the transitions in `history.events`. */
  seq: number[];
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
  /** attempt-start times, positions and events. */
  attemptT: number[];
  attemptSeq: number[];
  attempts: Array<Extract<HistoryEvent, { type: 'attempt-start' }>>;
  /** How many of the attempts are of kind `first`. */
  firstAttempts: number;
  /** attempt-end times, positions, outcomes and events. */
  attemptEndT: number[];
  attemptEndSeq: number[];
  attemptEndOutcome: Outcome[];
  attemptEnds: Array<Extract<HistoryEvent, { type: 'attempt-end' }>>;
  /** connection events (connected, process-exit, process-restart, …). */
  connections: HistoryEvent[];
}

/** Breaker state an endpoint starts in, from its server's configured mode. */
export function initialBreakerState(history: History, server: string): BreakerState {
  const mode = history.settings[server]?.breaker.mode;
  return mode === 'forced-open' ? 'forced-open' : mode === 'disabled' ? 'disabled' : 'closed';
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

/** Index of the last transition before position `seq` (strictly), or -1. */
export function lastTransitionBeforeSeq<S extends string>(track: StateTrack<S>, seq: number): number {
  return countBefore(track.seq, seq, false) - 1;
}

/** State just before the event at position `seq` (after every transition recorded before it). */
export function stateAtSeq<S extends string>(track: StateTrack<S>, seq: number): S {
  const i = lastTransitionBeforeSeq(track, seq);
  return i < 0 ? track.initial : track.to[i]!;
}
