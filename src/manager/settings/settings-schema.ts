/**
 * The one definition of the resilience settings as people write them: a config file's `settings:` and a
 * scenario's `manager:` section. Durations are text (`2s`; the config file also takes ms numbers and `Ms`
 * aliases), the breaker's trip policy is flattened into `breaker`. Parsing yields a
 * `DeepPartial<ResilienceSettings>` layer for `resolveSettings`. The value rules come from
 * `settings-rules.ts`, the lists from `settings-kinds.ts`; the resolved form is checked in `settings.ts`
 * with the same rules. The two places differ only in their {@link SettingsDialect}.
 */
import { z } from 'zod';
import {
  BALANCER_KINDS,
  BREAKER_MODES,
  FAILURE_CLASSES,
  PROBE_KINDS,
  TRIP_POLICIES,
} from '../settings-kinds.js';
import type { BreakerSettings, DeepPartial, ResilienceSettings } from '../types.js';
import { durations, type SettingsDialect } from './dialect.js';
import { durationField } from './duration-field.js';
import { createEndpointSettingsSchema, endpointLayer, endpointShape } from './endpoint-settings-schema.js';
import { breakerPolicyProblems, compact, RULES, windowProblem } from './settings-rules.js';

/** Builds the input schema of one dialect (see the file header). */
export function createSettingsInputSchema(dialect: SettingsDialect) {
  const { dur, pick } = durations(dialect);

  const window = z
    .union(
      [
        dialect.duration,
        z.strictObject({ kind: z.literal('time'), size: dialect.duration.describe('Window length.') }),
        z.strictObject({
          kind: z.literal('count'),
          size: RULES.windowCalls().describe('Window size in calls.'),
        }),
      ],
      { error: (iss) => windowProblem(iss.input) },
    )
    .transform((w) =>
      typeof w === 'number'
        ? { kind: 'time' as const, sizeMs: w }
        : w.kind === 'time'
          ? { kind: 'time' as const, sizeMs: w.size }
          : { kind: 'count' as const, size: w.size },
    );

  const breakerShape = z
    .strictObject({
      mode: z
        .enum(BREAKER_MODES)
        .optional()
        .describe(
          'normal (default); disabled admits everything and never opens; forced-open rejects everything.',
        ),
      policy: z
        .enum(TRIP_POLICIES)
        .optional()
        .describe('What trips the breaker: consecutive failures (default) or a failure rate in a window.'),
      failures: RULES.failures()
        .optional()
        .describe('policy consecutive: consecutive counted failures that open it (default 5).'),
      window: window
        .optional()
        .describe(
          'policy rate: sliding window: a duration (time window), {kind: time, size: 10s} or {kind: count, size: 100} (default 10s).',
        ),
      minCalls: RULES.minCalls()
        .optional()
        .describe('policy rate: calls in the window before rates are judged (default 20).'),
      failureRate: RULES.rate()
        .optional()
        .describe('policy rate: opens when failures / calls >= this, in (0, 1] (default 0.5).'),
      slowCall: z
        .strictObject({
          ...dur('over', 'Calls slower than this count as slow.', true),
          rate: RULES.rate().describe('Opens when slow / calls >= this, in (0, 1].'),
        })
        .transform((s, ctx) => ({ overMs: pick(s, 'over', ctx, true) ?? 0, rate: s.rate }))
        .optional()
        .describe('policy rate: optional slow-call policy.'),
      ...dur('openFor', 'How long it stays open before half-open (default 2s).'),
      halfOpenTrials: RULES.halfOpenTrials()
        .optional()
        .describe('Concurrent trial calls admitted while half-open (default 1).'),
      backoff: z
        .strictObject({
          multiplier: RULES.multiplier().describe('openFor is multiplied by this on each reopening.'),
          ...dur('max', 'Cap of the grown openFor.', true),
        })
        .transform((b, ctx) => ({ multiplier: b.multiplier, maxMs: pick(b, 'max', ctx, true) ?? 0 }))
        .optional()
        .describe('Optional: each reopening without a full recovery multiplies openFor, up to max.'),
      countedFailures: z
        .array(z.enum(FAILURE_CLASSES))
        .optional()
        .describe('Failure classes that count (default connection, timeout, session-lost, server-5xx).'),
    })
    .describe('Circuit breaker per endpoint.');
  const breakerChecked = dialect.policyRules
    ? breakerShape.superRefine((b, ctx) => {
        for (const p of breakerPolicyProblems(b))
          ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
      })
    : breakerShape;
  const breaker = breakerChecked.transform((b, ctx): DeepPartial<BreakerSettings> => {
    const policy = impliedPolicy(b);
    const trip =
      policy === 'consecutive'
        ? compact({ policy, failures: b.failures })
        : policy === 'rate'
          ? compact({
              policy,
              window: b.window,
              minCalls: b.minCalls,
              failureRate: b.failureRate,
              slowCall: b.slowCall,
            })
          : undefined;
    return compact({
      mode: b.mode,
      trip,
      openForMs: pick(b, 'openFor', ctx),
      backoff: b.backoff,
      halfOpenTrials: b.halfOpenTrials,
      countedFailures: b.countedFailures && [...b.countedFailures],
    }) as DeepPartial<BreakerSettings>;
  });

  const health = z
    .strictObject({
      probe: z.enum(PROBE_KINDS).optional().describe('Probe kind (default ping); none disables.'),
      ...dur('interval', 'Interval between probes (default 500ms).'),
      ...dur('timeout', 'Probe timeout (default 250ms).'),
      ...dur('jitter', 'Uniform jitter added to each interval (default 10% of interval).'),
      unhealthyAfter: RULES.probeCount()
        .optional()
        .describe('Consecutive probe failures that mark unhealthy (default 2).'),
      healthyAfter: RULES.probeCount()
        .optional()
        .describe('Consecutive probe successes that mark healthy again (default 2).'),
      ...dur('unhealthyInterval', 'Optional faster interval while unhealthy.'),
    })
    .describe('Active health checks per endpoint.')
    .transform((h, ctx) =>
      compact({
        probe: h.probe,
        intervalMs: pick(h, 'interval', ctx),
        timeoutMs: pick(h, 'timeout', ctx),
        jitterMs: pick(h, 'jitter', ctx),
        unhealthyAfter: h.unhealthyAfter,
        healthyAfter: h.healthyAfter,
        unhealthyIntervalMs: pick(h, 'unhealthyInterval', ctx),
      }),
    );

  const ejection = z
    .strictObject({
      consecutiveFailures: RULES.ejectAfter()
        .optional()
        .describe('Consecutive live-traffic failures that eject an endpoint (default 5; 0 disables).'),
      ...dur('baseTime', 'Ejection lasts baseTime x times ejected (default 2s).'),
      ...dur('maxTime', 'Cap of one ejection (default 30s).'),
      maxPercent: RULES.percent()
        .optional()
        .describe("At most this % of a server's endpoints ejected at once (default 50)."),
    })
    .describe('Outlier ejection.')
    .transform((e, ctx) =>
      compact({
        consecutiveFailures: e.consecutiveFailures,
        baseTimeMs: pick(e, 'baseTime', ctx),
        maxTimeMs: pick(e, 'maxTime', ctx),
        maxPercent: e.maxPercent,
      }),
    );

  const retry = z
    .strictObject({
      attempts: RULES.attempts()
        .optional()
        .describe('Total attempts per call including the first (default 3).'),
      budget: z
        .strictObject({
          ratio: RULES.nonNegative().optional().describe('Retries <= ratio x recent calls (default 0.2).'),
          minPerSecond: RULES.nonNegative()
            .optional()
            .describe('Retries always allowed per second (default 3).'),
        })
        .transform((b) => compact(b))
        .optional()
        .describe('Retry budget.'),
      backoff: z
        .strictObject({
          ...dur('base', 'Base of the jittered exponential backoff (default 10ms).'),
          ...dur('max', 'Cap of the backoff (default 200ms).'),
        })
        .transform((b, ctx) => compact({ baseMs: pick(b, 'base', ctx), maxMs: pick(b, 'max', ctx) }))
        .optional()
        .describe('Backoff between attempts.'),
      nonIdempotent: z
        .boolean()
        .optional()
        .describe(
          'Retry and re-issue calls that may not be repeated too (at-least-once: only for servers that deduplicate by the call’s _meta; default false).',
        ),
    })
    .describe('Retries of idempotent calls on another endpoint.')
    .transform((r) =>
      compact({
        attempts: r.attempts,
        budget: r.budget,
        backoffMs: r.backoff,
        nonIdempotent: r.nonIdempotent,
      }),
    );

  const pool = z
    .strictObject({
      maxInFlight: RULES.inFlight().optional().describe('Max in-flight calls per endpoint (default 64).'),
      queue: RULES.queue().optional().describe('Max queued calls per endpoint (default 256).'),
      ...dur('acquireTimeout', 'Max wait in the queue (default 500ms).'),
      maxSockets: RULES.sockets().optional().describe('Max TCP connections per HTTP endpoint (default 16).'),
    })
    .describe('Bulkhead per endpoint.')
    .transform((p, ctx) =>
      compact({
        maxInFlight: p.maxInFlight,
        queue: p.queue,
        acquireTimeoutMs: pick(p, 'acquireTimeout', ctx),
        maxSockets: p.maxSockets,
      }),
    );

  const hedge = z
    .strictObject({
      percentile: RULES.percentile()
        .optional()
        .describe('Hedge when a call runs longer than this latency percentile (default 95).'),
      ...dur('minDelay', 'Minimum delay before a hedge (default 10ms).'),
      maxInFlight: RULES.hedgesInFlight()
        .optional()
        .describe('At most this many hedges in flight per server (default 2).'),
    })
    .describe('Hedged requests for idempotent calls (off unless given).')
    .transform((h, ctx) =>
      compact({ percentile: h.percentile, minDelayMs: pick(h, 'minDelay', ctx), maxInFlight: h.maxInFlight }),
    );

  const fleet = z
    .strictObject({
      ...dur('slowStart', "A new endpoint's traffic share ramps up over this long (default 0: at once)."),
      ...dur('drain', "Longest wait for a leaving endpoint's calls in flight (default 5s)."),
      ...dur('admitTimeout', "Longest wait for a new endpoint's first good probe (default 10s)."),
    })
    .describe('Endpoints joining and leaving a live fleet.')
    .transform((f, ctx) =>
      compact({
        slowStartMs: pick(f, 'slowStart', ctx),
        drainMs: pick(f, 'drain', ctx),
        admitTimeoutMs: pick(f, 'admitTimeout', ctx),
      }),
    );

  const section = z.strictObject({
    ...dur('callTimeout', 'Overall deadline of one call, all attempts (default 1s).'),
    ...endpointShape(dialect),
    breaker: breaker.optional(),
    health: health.optional(),
    ejection: ejection.optional(),
    balancer: z.enum(BALANCER_KINDS).optional().describe('Load balancer (default least-in-flight).'),
    retry: retry.optional(),
    pool: pool.optional(),
    hedge: hedge.optional(),
    fleet: fleet.optional(),
  });
  const described = dialect.meta ? section.meta(dialect.meta) : section;
  return described.transform((s, ctx): DeepPartial<ResilienceSettings> => {
    const layer = compact({
      callTimeoutMs: pick(s, 'callTimeout', ctx),
      ...endpointLayer(s, pick, ctx),
      breaker: s.breaker,
      health: s.health,
      ejection: s.ejection,
      balancer: s.balancer,
      retry: s.retry,
      pool: s.pool,
      fleet: s.fleet,
    }) as DeepPartial<ResilienceSettings>;
    // `hedge: {}` stays {}: hedging on, with the manager's defaults.
    if (s.hedge !== undefined) layer.hedge = s.hedge;
    return layer;
  });
}

/** Which trip policy the breaker fields imply (an explicit `policy` wins). */
export function impliedPolicy(b: {
  policy?: string | undefined;
  failures?: unknown;
  window?: unknown;
  minCalls?: unknown;
  failureRate?: unknown;
  slowCall?: unknown;
}): 'consecutive' | 'rate' | undefined {
  if (b.policy === 'consecutive' || b.policy === 'rate') return b.policy;
  if (b.failures !== undefined) return 'consecutive';
  const rateLike =
    b.window !== undefined ||
    b.minCalls !== undefined ||
    b.failureRate !== undefined ||
    b.slowCall !== undefined;
  return rateLike ? 'rate' : undefined;
}

/** The friendly settings form of the manager config file (durations as text or ms, `Ms` aliases). */
const CONFIG_DIALECT: SettingsDialect = { duration: durationField, msAliases: true, policyRules: true };

export const settingsInputSchema = createSettingsInputSchema(CONFIG_DIALECT);

/** A config file endpoint's own `settings:` (attemptTimeout, idleTimeout, retryAfter). */
export const endpointSettingsInputSchema = createEndpointSettingsSchema(CONFIG_DIALECT);

/** The input type of {@link settingsInputSchema} (what a file holds). */
export type SettingsInput = z.input<typeof settingsInputSchema>;
