/**
 * Every default of the manager's resilience settings, in one place (pino style). `resolveSettings` in
 * `settings.ts` deep-merges user layers over these. All durations are milliseconds.
 */
import type {
  ConsecutiveBreakerSettings,
  HedgeSettings,
  RateBreakerSettings,
  ResilienceSettings,
} from './types.js';

/** Defaults of the consecutive-failures trip policy: opens after 5 consecutive counted failures. */
export const DEFAULT_CONSECUTIVE_TRIP: Readonly<ConsecutiveBreakerSettings> = Object.freeze({
  policy: 'consecutive',
  failures: 5,
});

/** Length of a time window when a layer switches `window.kind` to `time` without a size. */
export const DEFAULT_TIME_WINDOW_MS = 10_000;

/**
 * Defaults of the rate trip policy, filled in when a layer switches `breaker.trip.policy` to `rate`:
 * a 10 s time window (10 buckets of 1 s), judged once it holds 20 calls, opening at a 50 % failure rate.
 */
export const DEFAULT_RATE_TRIP: Readonly<RateBreakerSettings> = Object.freeze({
  policy: 'rate',
  window: Object.freeze({ kind: 'time', sizeMs: DEFAULT_TIME_WINDOW_MS }),
  minCalls: 20,
  failureRate: 0.5,
});

/** Size of a count-based window when a layer switches `window.kind` to `count` without a size. */
export const DEFAULT_COUNT_WINDOW_SIZE = 100;

/** Defaults of hedging, filled in when a layer enables `hedge` without every field. */
export const DEFAULT_HEDGE: Readonly<HedgeSettings> = Object.freeze({
  percentile: 95,
  minDelayMs: 10,
  maxInFlight: 2,
});

/**
 * The documented defaults. Hedging is off by default (`hedge` absent). Frozen: resolveSettings returns
 * fresh copies, never this object.
 */
export const DEFAULT_SETTINGS: Readonly<ResilienceSettings> = deepFreeze({
  callTimeoutMs: 1000,
  breaker: {
    mode: 'normal',
    trip: { policy: 'consecutive', failures: 5 },
    openForMs: 2000,
    halfOpenTrials: 1,
    countedFailures: ['connection', 'timeout', 'session-lost', 'server-5xx', 'stream-idle'],
  },
  health: {
    probe: 'ping',
    intervalMs: 500,
    timeoutMs: 250,
    jitterMs: 50,
    unhealthyAfter: 2,
    healthyAfter: 2,
  },
  ejection: { consecutiveFailures: 5, baseTimeMs: 2000, maxTimeMs: 30_000, maxPercent: 50 },
  balancer: 'least-in-flight',
  retry: {
    attempts: 3,
    budget: { ratio: 0.2, minPerSecond: 3 },
    backoffMs: { baseMs: 10, maxMs: 200 },
    nonIdempotent: false,
  },
  pool: { maxInFlight: 64, queue: 256, acquireTimeoutMs: 500, maxSockets: 16 },
  fleet: { slowStartMs: 0, drainMs: 5000, admitTimeoutMs: 10_000 },
  retryAfter: 'honour',
  maxResponseBytes: 8 * 1024 * 1024,
  protocol: 'auto',
  connectTimeoutMs: 30_000,
} satisfies ResilienceSettings);

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
