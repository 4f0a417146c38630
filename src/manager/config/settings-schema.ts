/**
 * The friendly, file-level form of {@link ResilienceSettings}: durations as `2s` or ms numbers, the breaker's
 * trip policy flattened into `breaker` (as in the scenario format's `manager:` section). Parsing yields a
 * `DeepPartial<ResilienceSettings>` layer for `resolveSettings`. Exported so the chaos runner can reuse it.
 */
import { z } from 'zod';
import type { BreakerSettings, DeepPartial, ResilienceSettings } from '../types.js';
import { countField, durationField, durationKeys, pickDuration, ratioField } from './duration-field.js';

const failureClass = z.enum([
  'connection',
  'timeout',
  'session-lost',
  'server-5xx',
  'tool-error',
  'protocol',
]);

/** `window: 10s` (time), `{kind: time, size: 10s}` or `{kind: count, size: 100}`. */
const windowField = z.union([
  durationField.transform((sizeMs) => ({ kind: 'time' as const, sizeMs })),
  z
    .strictObject({ kind: z.literal('time'), size: durationField })
    .transform((w) => ({ kind: 'time' as const, sizeMs: w.size })),
  z.strictObject({ kind: z.literal('count'), size: z.number().int().min(1) }),
]);

const breakerInput = z
  .strictObject({
    mode: z.enum(['normal', 'disabled', 'forced-open']).optional(),
    policy: z.enum(['consecutive', 'rate']).optional(),
    failures: z.number().int().min(1).optional(),
    window: windowField.optional(),
    minCalls: countField.optional(),
    failureRate: ratioField.optional(),
    slowCall: z
      .strictObject({ ...durationKeys('over'), rate: ratioField })
      .transform((s, ctx) => ({ overMs: pickDuration(s, 'over', ctx) ?? 0, rate: s.rate }))
      .optional(),
    ...durationKeys('openFor'),
    backoff: z
      .strictObject({ multiplier: z.number().min(1), ...durationKeys('max') })
      .transform((b, ctx) => compact({ multiplier: b.multiplier, maxMs: pickDuration(b, 'max', ctx) }))
      .optional(),
    halfOpenTrials: z.number().int().min(1).optional(),
    countedFailures: z.array(failureClass).optional(),
  })
  .transform((b, ctx): DeepPartial<BreakerSettings> => {
    const rateFields = b.window !== undefined || b.minCalls !== undefined || b.failureRate !== undefined;
    const rateLike = rateFields || b.slowCall !== undefined;
    let policy = b.policy;
    if (policy === undefined && b.failures !== undefined) policy = 'consecutive';
    if (policy === undefined && rateLike) policy = 'rate';
    if (policy === 'consecutive' && rateLike) {
      ctx.addIssue({
        code: 'custom',
        path: ['policy'],
        message: 'window/minCalls/failureRate/slowCall belong to policy: rate, not consecutive',
      });
    }
    if (policy === 'rate' && b.failures !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['failures'],
        message: 'failures belongs to policy: consecutive',
      });
    }
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
      openForMs: pickDuration(b, 'openFor', ctx),
      backoff: b.backoff,
      halfOpenTrials: b.halfOpenTrials,
      countedFailures: b.countedFailures,
    }) as DeepPartial<BreakerSettings>;
  });

const healthInput = z
  .strictObject({
    probe: z.enum(['ping', 'list-tools', 'none']).optional(),
    ...durationKeys('interval', 'timeout', 'jitter', 'unhealthyInterval'),
    unhealthyAfter: z.number().int().min(1).optional(),
    healthyAfter: z.number().int().min(1).optional(),
  })
  .transform((h, ctx) =>
    compact({
      probe: h.probe,
      intervalMs: pickDuration(h, 'interval', ctx),
      timeoutMs: pickDuration(h, 'timeout', ctx),
      jitterMs: pickDuration(h, 'jitter', ctx),
      unhealthyAfter: h.unhealthyAfter,
      healthyAfter: h.healthyAfter,
      unhealthyIntervalMs: pickDuration(h, 'unhealthyInterval', ctx),
    }),
  );

const ejectionInput = z
  .strictObject({
    consecutiveFailures: countField.optional(),
    ...durationKeys('baseTime', 'maxTime'),
    maxPercent: z.number().min(0).max(100).optional(),
  })
  .transform((e, ctx) =>
    compact({
      consecutiveFailures: e.consecutiveFailures,
      baseTimeMs: pickDuration(e, 'baseTime', ctx),
      maxTimeMs: pickDuration(e, 'maxTime', ctx),
      maxPercent: e.maxPercent,
    }),
  );

const retryInput = z
  .strictObject({
    attempts: z.number().int().min(1).optional(),
    budget: z
      .strictObject({ ratio: z.number().min(0).optional(), minPerSecond: z.number().min(0).optional() })
      .transform((b) => compact(b))
      .optional(),
    backoff: z
      .strictObject({ ...durationKeys('base', 'max') })
      .transform((b, ctx) =>
        compact({ baseMs: pickDuration(b, 'base', ctx), maxMs: pickDuration(b, 'max', ctx) }),
      )
      .optional(),
  })
  .transform((r) => compact({ attempts: r.attempts, budget: r.budget, backoffMs: r.backoff }));

const hedgeInput = z
  .strictObject({
    percentile: z.number().gt(0).lt(100).optional(),
    ...durationKeys('minDelay'),
    maxInFlight: z.number().int().min(1).optional(),
  })
  .transform((h, ctx) =>
    compact({
      percentile: h.percentile,
      minDelayMs: pickDuration(h, 'minDelay', ctx),
      maxInFlight: h.maxInFlight,
    }),
  );

const poolInput = z
  .strictObject({
    maxInFlight: z.number().int().min(1).optional(),
    queue: countField.optional(),
    ...durationKeys('acquireTimeout'),
    maxSockets: z.number().int().min(1).optional(),
  })
  .transform((p, ctx) =>
    compact({
      maxInFlight: p.maxInFlight,
      queue: p.queue,
      acquireTimeoutMs: pickDuration(p, 'acquireTimeout', ctx),
      maxSockets: p.maxSockets,
    }),
  );

/** Zod schema of the friendly settings form; its output is a `DeepPartial<ResilienceSettings>` layer. */
export const settingsInputSchema = z
  .strictObject({
    ...durationKeys('callTimeout'),
    breaker: breakerInput.optional(),
    health: healthInput.optional(),
    ejection: ejectionInput.optional(),
    balancer: z.enum(['round-robin', 'least-in-flight', 'p2c', 'weighted', 'sticky']).optional(),
    retry: retryInput.optional(),
    hedge: hedgeInput.optional(),
    pool: poolInput.optional(),
  })
  .transform(
    (s, ctx): DeepPartial<ResilienceSettings> =>
      compact({
        callTimeoutMs: pickDuration(s, 'callTimeout', ctx),
        breaker: s.breaker,
        health: s.health,
        ejection: s.ejection,
        balancer: s.balancer,
        retry: s.retry,
        hedge: s.hedge,
        pool: s.pool,
      }) as DeepPartial<ResilienceSettings>,
  );

/** The input type of {@link settingsInputSchema} (what a file holds). */
export type SettingsInput = z.input<typeof settingsInputSchema>;

/** Drops keys whose value is undefined, so a layer never overrides a default with nothing. */
function compact<T extends Record<string, unknown>>(obj: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]: Exclude<T[K], undefined> };
}
