import type { BreakerState } from '../types.js';

/** Emitted exactly once per breaker state change. */
export interface BreakerTransition {
  endpoint: string;
  from: BreakerState;
  to: BreakerState;
  /** Human-readable cause, e.g. `5 consecutive failures (>= 5)`, `open wait 2000 ms elapsed`. */
  reason: string;
  /** clock.now() at the change. */
  t: number;
}

/**
 * The legal (from, to) pairs: closed→open (tripped), open→half-open (wait elapsed), half-open→open
 * (a trial failed), half-open→closed (every trial succeeded), any other state → closed (reset),
 * → forced-open and → disabled (operator). A state never transitions to itself.
 */
export function isLegalBreakerTransition(from: BreakerState, to: BreakerState): boolean {
  if (from === to) return false;
  if (to === 'forced-open' || to === 'disabled' || to === 'closed') {
    return to !== 'closed' || from !== 'closed';
  }
  if (to === 'open') return from === 'closed' || from === 'half-open';
  if (to === 'half-open') return from === 'open';
  return false;
}
