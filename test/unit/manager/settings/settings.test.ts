import { describe, expect, it } from 'vitest';
import { isChaosError } from '../../../../src/core/errors.js';
import { DEFAULT_SETTINGS } from '../../../../src/manager/defaults.js';
import {
  assertValidSettings,
  resolveSettings,
  validateSettings,
} from '../../../../src/manager/settings/index.js';
import type { HedgeSettings } from '../../../../src/manager/types.js';

describe('DEFAULT_SETTINGS', () => {
  it('holds the documented values and is valid', () => {
    expect(DEFAULT_SETTINGS.callTimeoutMs).toBe(1000);
    expect(DEFAULT_SETTINGS.breaker).toMatchObject({
      trip: { policy: 'consecutive', failures: 5 },
      openForMs: 2000,
      halfOpenTrials: 1,
      countedFailures: ['connection', 'timeout', 'session-lost', 'server-5xx', 'stream-idle'],
    });
    expect(DEFAULT_SETTINGS.health).toMatchObject({
      intervalMs: 500,
      timeoutMs: 250,
      jitterMs: 50,
      unhealthyAfter: 2,
      healthyAfter: 2,
    });
    expect(DEFAULT_SETTINGS.ejection).toEqual({
      consecutiveFailures: 5,
      baseTimeMs: 2000,
      maxTimeMs: 30000,
      maxPercent: 50,
    });
    expect(DEFAULT_SETTINGS.balancer).toBe('least-in-flight');
    expect(DEFAULT_SETTINGS.retry).toEqual({
      attempts: 3,
      budget: { ratio: 0.2, minPerSecond: 3 },
      backoffMs: { baseMs: 10, maxMs: 200 },
      nonIdempotent: false,
    });
    expect(DEFAULT_SETTINGS.pool).toEqual({
      maxInFlight: 64,
      queue: 256,
      acquireTimeoutMs: 500,
      maxSockets: 16,
    });
    expect(DEFAULT_SETTINGS.hedge).toBeUndefined();
    expect(validateSettings(DEFAULT_SETTINGS)).toEqual([]);
    expect(Object.isFrozen(DEFAULT_SETTINGS.breaker.countedFailures)).toBe(true);
  });
});

describe('resolveSettings', () => {
  it('returns a fresh mutable copy of the defaults without layers', () => {
    const s = resolveSettings();
    expect(s).toEqual(DEFAULT_SETTINGS);
    expect(s.breaker).not.toBe(DEFAULT_SETTINGS.breaker);
    s.breaker.countedFailures.push('tool-error');
    expect(DEFAULT_SETTINGS.breaker.countedFailures).toHaveLength(5);
  });

  it('deep-merges layers in order, replacing arrays and skipping undefined', () => {
    const s = resolveSettings(
      { breaker: { openForMs: 100 }, pool: { queue: 1 } },
      { breaker: { countedFailures: ['timeout'], halfOpenTrials: undefined }, pool: { queue: 2 } },
    );
    expect(s.breaker.openForMs).toBe(100);
    expect(s.breaker.halfOpenTrials).toBe(1);
    expect(s.breaker.countedFailures).toEqual(['timeout']);
    expect(s.pool).toEqual({ ...DEFAULT_SETTINGS.pool, queue: 2 });
  });

  it('fills the rate policy defaults when the trip policy changes', () => {
    const s = resolveSettings({ breaker: { trip: { policy: 'rate', failureRate: 0.25 } } });
    expect(s.breaker.trip).toEqual({
      policy: 'rate',
      window: { kind: 'time', sizeMs: 10000 },
      minCalls: 20,
      failureRate: 0.25,
    });
    expect(validateSettings(s)).toEqual([]);
    // and back: no rate fields leak into the consecutive policy
    const back = resolveSettings(s, { breaker: { trip: { policy: 'consecutive' } } });
    expect(back.breaker.trip).toEqual({ policy: 'consecutive', failures: 5 });
    // same policy: plain merge
    const same = resolveSettings(s, { breaker: { trip: { policy: 'rate', minCalls: 3 } } });
    expect(same.breaker.trip).toMatchObject({ failureRate: 0.25, minCalls: 3 });
  });

  it('replaces the window when its kind changes, and fills hedge defaults', () => {
    const s = resolveSettings(
      { breaker: { trip: { policy: 'rate' } } },
      { breaker: { trip: { window: { kind: 'count' } } } },
      // DeepPartial<T> in types.ts does not recurse into optional objects (hedge?), hence the cast
      { hedge: { percentile: 99 } as HedgeSettings },
    );
    expect(s.breaker.trip).toMatchObject({ window: { kind: 'count', size: 100 } });
    expect(s.hedge).toEqual({ percentile: 99, minDelayMs: 10, maxInFlight: 2 });
  });
});

describe('validateSettings', () => {
  it('reports every problem with its path and the bad value', () => {
    const s = resolveSettings({
      callTimeoutMs: 0,
      breaker: { openForMs: -1, halfOpenTrials: 1.5, countedFailures: ['timeout', 'nope' as never] },
      health: { intervalMs: 'fast' as never },
      ejection: { maxPercent: 120, baseTimeMs: 5000, maxTimeMs: 1000 },
      balancer: 'random' as never,
      retry: { budget: { ratio: -0.1 } },
      pool: { maxInFlight: 0 },
    });
    const problems = validateSettings(s);
    expect(problems).toEqual(
      expect.arrayContaining([
        'callTimeoutMs: must be > 0, got 0',
        'breaker.openForMs: must be > 0, got -1',
        'breaker.halfOpenTrials: must be an integer, got 1.5',
        expect.stringMatching(/^breaker\.countedFailures\[1\]: must be one of .*got "nope"$/),
        'health.intervalMs: must be a number, got "fast"',
        'ejection.maxPercent: must be <= 100, got 120',
        'ejection.maxTimeMs: must be >= ejection.baseTimeMs (5000), got 1000',
        expect.stringMatching(/^balancer: must be one of .*got "random"$/),
        'retry.budget.ratio: must be >= 0, got -0.1',
        'pool.maxInFlight: must be >= 1, got 0',
      ]),
    );
    expect(problems).toHaveLength(10);
  });

  it('flags unknown, missing and misplaced settings', () => {
    const s = resolveSettings({ breaker: { trip: { policy: 'rate', minCalls: 0 } } }) as unknown as Record<
      string,
      unknown
    >;
    s.extra = 1;
    (s.breaker as Record<string, unknown>).colour = 'red';
    delete (s.pool as Record<string, unknown>).queue;
    ((s.breaker as Record<string, unknown>).trip as Record<string, unknown>).failures = 3;
    expect(validateSettings(s).sort()).toEqual(
      [
        'breaker.colour: unknown setting',
        'breaker.trip.failures: only applies to policy consecutive',
        'breaker.trip.minCalls: must be >= 1, got 0',
        'extra: unknown setting',
        'pool.queue: is required',
      ].sort(),
    );
    expect(validateSettings(null)).toEqual(['settings: must be an object, got null']);
  });

  it('assertValidSettings throws INVALID_CONFIG with every problem', () => {
    const bad = resolveSettings({ breaker: { openForMs: -1 }, pool: { queue: -1 } });
    try {
      assertValidSettings(bad);
      expect.unreachable();
    } catch (e) {
      expect(isChaosError(e, 'INVALID_CONFIG')).toBe(true);
      expect((e as { details: { problems: string[] } }).details.problems).toHaveLength(2);
    }
    expect(() => assertValidSettings(resolveSettings())).not.toThrow();
  });
});
