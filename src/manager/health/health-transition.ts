import type { HealthState } from '../types.js';

/** Emitted exactly once per health state change. */
export interface HealthTransition {
  endpoint: string;
  from: HealthState;
  to: HealthState;
  /** e.g. `2 consecutive probe failures (last: timeout after 250 ms)`. */
  reason: string;
  /** clock.now() at the change. */
  t: number;
}

/** Legal pairs: unknown→healthy, unknown→unhealthy, healthy→unhealthy, unhealthy→healthy. */
export function isLegalHealthTransition(from: HealthState, to: HealthState): boolean {
  return from !== to && to !== 'unknown';
}
