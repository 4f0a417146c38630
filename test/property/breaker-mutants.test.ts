/**
 * The breaker model property (support/breaker-model.ts) must catch deliberately broken breakers: each
 * mutant below runs through the SAME property and fast-check has to find a counterexample.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import {
  CircuitBreaker,
  ConsecutiveTripPolicy,
  CountWindow,
  type OutcomeWindow,
  TimeWindow,
  type TripPolicy,
} from '../../src/manager/breaker/index.js';
import type { BreakerSettings } from '../../src/manager/types.js';
import { FC_SEED } from '../helpers/seed.js';
import { type BreakerFactory, breakerMatchesModel, CLASSES } from '../unit/manager/support/breaker-model.js';

const seed = FC_SEED;

// ------------------------------------------------------------------ mutants the property must catch

/** A rate/consecutive policy that trips on `>` instead of `≥` (off by one at the threshold). */
class StrictPolicy implements TripPolicy {
  private readonly inner: TripPolicy | undefined;
  private readonly window: OutcomeWindow | undefined;
  constructor(
    private readonly s: BreakerSettings['trip'],
    clock: Clock,
  ) {
    if (s.policy === 'consecutive') this.inner = new ConsecutiveTripPolicy(s.failures + 1);
    else
      this.window =
        s.window.kind === 'count' ? new CountWindow(s.window.size) : new TimeWindow(s.window.sizeMs, clock);
  }
  record(failed: boolean, latencyMs: number): string | undefined {
    if (this.inner) return this.inner.record(failed, latencyMs);
    const s = this.s as Extract<BreakerSettings['trip'], { policy: 'rate' }>;
    const w = this.window!;
    w.add(failed, s.slowCall !== undefined && latencyMs > s.slowCall.overMs);
    const min = s.window.kind === 'count' ? Math.min(s.minCalls, s.window.size) : s.minCalls;
    if (w.calls < min) return undefined;
    const tooSlow = s.slowCall !== undefined && w.slow / w.calls > s.slowCall.rate;
    return w.failures / w.calls > s.failureRate || tooSlow ? 'strict' : undefined;
  }
  reset(): void {
    this.inner?.reset();
    this.window?.clear();
  }
}

/** A clock whose timers never fire: the breaker only leaves open lazily, on the next call. */
const lazyClock = (c: Clock): Clock => ({
  now: () => c.now(),
  setTimeout: () => ({ __timer: 0 }),
  clearTimeout: () => {},
  sleep: (ms, signal) => c.sleep(ms, signal),
});

const mutants: Record<string, BreakerFactory> = {
  'half-open admits one trial too many': (s, d) =>
    new CircuitBreaker({ ...s, halfOpenTrials: s.halfOpenTrials + 1 }, d),
  'trips on > instead of >=': (s, d) =>
    new CircuitBreaker(s, { ...d, policy: new StrictPolicy(s.trip, d.clock) }),
  'open→half-open only on the next call (no timer)': (s, d) =>
    new CircuitBreaker(s, { ...d, clock: lazyClock(d.clock) }),
  'uncounted failure classes counted': (s, d) => new CircuitBreaker({ ...s, countedFailures: CLASSES }, d),
  'backoff ignored': (s, d) => new CircuitBreaker({ ...s, backoff: undefined }, d),
  'late permits from an earlier state still count': (s, d) => {
    const b = new CircuitBreaker(s, d);
    const acquire = b.tryAcquire.bind(b);
    const current = () => (b as unknown as { generation: number }).generation;
    b.tryAcquire = () => {
      const p = acquire();
      if (p.ok) Object.defineProperty(p, 'generation', { get: current });
      return p;
    };
    return b;
  },
};

describe('the same property catches broken breakers', () => {
  it.each(Object.entries(mutants))('%s', (_name, factory) => {
    const result = fc.check(breakerMatchesModel(factory), { seed, numRuns: 2000, endOnFailure: true });
    expect(result.failed).toBe(true);
  });
});
