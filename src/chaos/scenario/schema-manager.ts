/**
 * The `manager:` section (and per-server `servers.<name>.manager:` overrides): the resilience settings of
 * `src/manager/types.ts` with YAML-friendly names and duration strings. Every field is optional; the
 * manager fills its own defaults (listed in each description).
 */
import { z } from 'zod';
import { DurationSchema, durationProblem } from './scalars.js';

const int = (min: number, max?: number) => {
  const s = z.number().int().min(min);
  return max === undefined ? s : s.max(max);
};

function windowProblem(input: unknown): string {
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    return 'window must be {kind: time, size: <duration>} or {kind: count, size: <calls>}';
  }
  return `window: ${durationProblem(input)} or {kind: count, size: N}`;
}

export const FAILURE_CLASSES = [
  'connection',
  'timeout',
  'session-lost',
  'server-5xx',
  'tool-error',
  'protocol',
] as const;

export const BALANCERS = ['round-robin', 'least-in-flight', 'p2c', 'weighted', 'sticky'] as const;

export const BreakerSchema = z
  .strictObject({
    mode: z
      .enum(['normal', 'disabled', 'forced-open'])
      .optional()
      .describe(
        'normal (default); disabled admits everything and never opens; forced-open rejects everything.',
      ),
    policy: z
      .enum(['consecutive', 'rate'])
      .optional()
      .describe('What trips the breaker: consecutive failures (default) or a failure rate in a window.'),
    failures: int(1)
      .optional()
      .describe('policy consecutive: consecutive counted failures that open it (default 5).'),
    window: z
      .union(
        [
          DurationSchema,
          z.strictObject({ kind: z.literal('time'), size: DurationSchema.describe('Window length.') }),
          z.strictObject({ kind: z.literal('count'), size: int(1).describe('Window size in calls.') }),
        ],
        { error: (iss) => windowProblem(iss.input) },
      )
      .optional()
      .describe(
        'policy rate: sliding window: a duration (time window), {kind: time, size: 10s} or {kind: count, size: 100} (default 10s).',
      ),
    minCalls: int(1)
      .optional()
      .describe('policy rate: calls in the window before rates are judged (default 20).'),
    failureRate: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe('policy rate: opens when failures / calls >= this, in (0, 1] (default 0.5).'),
    slowCall: z
      .strictObject({
        over: DurationSchema.describe('Calls slower than this count as slow.'),
        rate: z.number().gt(0).max(1).describe('Opens when slow / calls >= this, in (0, 1].'),
      })
      .optional()
      .describe('policy rate: optional slow-call policy.'),
    openFor: DurationSchema.optional().describe('How long it stays open before half-open (default 2s).'),
    halfOpenTrials: int(1)
      .optional()
      .describe('Concurrent trial calls admitted while half-open (default 1).'),
    backoff: z
      .strictObject({
        multiplier: z.number().min(1).describe('openFor is multiplied by this on each reopening.'),
        max: DurationSchema.describe('Cap of the grown openFor.'),
      })
      .optional()
      .describe('Optional: each reopening without a full recovery multiplies openFor, up to max.'),
    countedFailures: z
      .array(z.enum(FAILURE_CLASSES))
      .optional()
      .describe('Failure classes that count (default connection, timeout, session-lost, server-5xx).'),
  })
  .describe('Circuit breaker per endpoint.');

export const HealthSchema = z
  .strictObject({
    probe: z
      .enum(['ping', 'list-tools', 'none'])
      .optional()
      .describe('Probe kind (default ping); none disables.'),
    interval: DurationSchema.optional().describe('Interval between probes (default 500ms).'),
    timeout: DurationSchema.optional().describe('Probe timeout (default 250ms).'),
    jitter: DurationSchema.optional().describe(
      'Uniform jitter added to each interval (default 10% of interval).',
    ),
    unhealthyAfter: int(1).optional().describe('Consecutive probe failures that mark unhealthy (default 2).'),
    healthyAfter: int(1)
      .optional()
      .describe('Consecutive probe successes that mark healthy again (default 2).'),
    unhealthyInterval: DurationSchema.optional().describe('Optional faster interval while unhealthy.'),
  })
  .describe('Active health checks per endpoint.');

export const EjectionSchema = z
  .strictObject({
    consecutiveFailures: int(0)
      .optional()
      .describe('Consecutive live-traffic failures that eject an endpoint (default 5; 0 disables).'),
    baseTime: DurationSchema.optional().describe('Ejection lasts baseTime x times ejected (default 2s).'),
    maxTime: DurationSchema.optional().describe('Cap of one ejection (default 30s).'),
    maxPercent: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe("At most this % of a server's endpoints ejected at once (default 50)."),
  })
  .describe('Outlier ejection.');

export const RetrySchema = z
  .strictObject({
    attempts: int(1, 10).optional().describe('Total attempts per call including the first (default 3).'),
    budget: z
      .strictObject({
        ratio: z.number().min(0).optional().describe('Retries <= ratio x recent calls (default 0.2).'),
        minPerSecond: z.number().min(0).optional().describe('Retries always allowed per second (default 3).'),
      })
      .optional()
      .describe('Retry budget.'),
    backoff: z
      .strictObject({
        base: DurationSchema.optional().describe('Base of the jittered exponential backoff (default 10ms).'),
        max: DurationSchema.optional().describe('Cap of the backoff (default 200ms).'),
      })
      .optional()
      .describe('Backoff between attempts.'),
  })
  .describe('Retries of idempotent calls on another endpoint.');

export const PoolSchema = z
  .strictObject({
    maxInFlight: int(1).optional().describe('Max in-flight calls per endpoint (default 64).'),
    queue: int(0).optional().describe('Max queued calls per endpoint (default 256).'),
    acquireTimeout: DurationSchema.optional().describe('Max wait in the queue (default 500ms).'),
    maxSockets: int(1).optional().describe('Max TCP connections per HTTP endpoint (default 16).'),
  })
  .describe('Bulkhead per endpoint.');

export const HedgeSchema = z
  .strictObject({
    percentile: z
      .number()
      .gt(0)
      .lt(100)
      .optional()
      .describe('Hedge when a call runs longer than this latency percentile (default 95).'),
    minDelay: DurationSchema.optional().describe('Minimum delay before a hedge (default 10ms).'),
    maxInFlight: int(1).optional().describe('At most this many hedges in flight per server (default 2).'),
  })
  .describe('Hedged requests for idempotent calls (off unless given).');

export const ManagerSchema = z
  .strictObject({
    callTimeout: DurationSchema.optional().describe(
      'Overall deadline of one call, all attempts (default 1s).',
    ),
    breaker: BreakerSchema.optional(),
    health: HealthSchema.optional(),
    ejection: EjectionSchema.optional(),
    balancer: z.enum(BALANCERS).optional().describe('Load balancer (default least-in-flight).'),
    retry: RetrySchema.optional(),
    pool: PoolSchema.optional(),
    hedge: HedgeSchema.optional(),
  })
  .meta({
    id: 'Manager',
    description: 'Resilience settings of the manager under test; every field optional.',
  });

export type ManagerInput = z.infer<typeof ManagerSchema>;
