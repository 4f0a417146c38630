export { type BreakerTransition, isLegalBreakerTransition } from './breaker-transition.js';
export { CircuitBreaker, type CircuitBreakerDeps } from './circuit-breaker.js';
export { ConsecutiveTripPolicy } from './consecutive-policy.js';
export { CountWindow } from './count-window.js';
export type { OutcomeWindow } from './outcome-window.js';
export { BreakerPermit, type BreakerRejection, rejectionError } from './permit.js';
export { RateTripPolicy } from './rate-policy.js';
export { TIME_WINDOW_BUCKETS, TimeWindow } from './time-window.js';
export { createTripPolicy, type TripPolicy } from './trip-policy.js';
