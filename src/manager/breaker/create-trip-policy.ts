import type { Clock } from '../../core/clock.js';
import type { BreakerSettings } from '../types.js';
import { ConsecutiveTripPolicy } from './consecutive-policy.js';
import { CountWindow } from './count-window.js';
import { RateTripPolicy } from './rate-policy.js';
import { TimeWindow } from './time-window.js';
import type { TripPolicy } from './trip-policy.js';

/** Builds the policy described by `trip` (`consecutive` or `rate` with a count or time window). */
export function createTripPolicy(trip: BreakerSettings['trip'], clock: Clock): TripPolicy {
  if (trip.policy === 'consecutive') return new ConsecutiveTripPolicy(trip.failures);
  const window =
    trip.window.kind === 'count'
      ? new CountWindow(trip.window.size)
      : new TimeWindow(trip.window.sizeMs, clock);
  // A count window can never hold more than `size` calls: like resilience4j, require min(minCalls, size).
  const minCalls = trip.window.kind === 'count' ? Math.min(trip.minCalls, trip.window.size) : trip.minCalls;
  return new RateTripPolicy(window, { ...trip, minCalls });
}
