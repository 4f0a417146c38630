import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { SeededRng } from '../../../../src/core/rng.js';
import { backoffDelay, RetryBudget } from '../../../../src/manager/retry/index.js';

describe('RetryBudget', () => {
  it('allows minPerSecond concurrent retries with no traffic', () => {
    const clock = new FakeClock(0);
    const b = new RetryBudget({ ratio: 0.2, minPerSecond: 3 }, { clock });
    const tokens = [b.tryAcquireRetry(), b.tryAcquireRetry(), b.tryAcquireRetry()];
    expect(tokens.every((t) => t !== undefined)).toBe(true);
    expect(b.tryAcquireRetry()).toBeUndefined();
    tokens[0]!.release();
    tokens[0]!.release(); // idempotent
    expect(b.active).toBe(2);
    expect(b.tryAcquireRetry()).toBeDefined();
    expect(b.tryAcquireRetry()).toBeUndefined();
  });

  it('scales with ratio × calls of the last second, unrounded', () => {
    const clock = new FakeClock(0);
    const b = new RetryBudget({ ratio: 0.2, minPerSecond: 1 }, { clock });
    for (let i = 0; i < 12; i++) b.noteRequest();
    expect(b.limit).toBeCloseTo(2.4);
    const held = [b.tryAcquireRetry(), b.tryAcquireRetry(), b.tryAcquireRetry()];
    expect(held.every((t) => t !== undefined)).toBe(true); // 2 < 2.4 admits a third
    expect(b.tryAcquireRetry()).toBeUndefined();
    expect(b.active).toBe(3);
  });

  it('forgets calls older than the 1 s window (100 ms buckets)', () => {
    const clock = new FakeClock(0);
    const b = new RetryBudget({ ratio: 0.5, minPerSecond: 0 }, { clock });
    expect(b.tryAcquireRetry()).toBeUndefined(); // 0 < max(0, 0) is false
    for (let i = 0; i < 4; i++) b.noteRequest(); // bucket 0
    clock.advance(950);
    for (let i = 0; i < 2; i++) b.noteRequest(); // bucket 9
    expect(b.recentRequests).toBe(6);
    clock.advance(50); // t = 1000: bucket 0 drops out
    expect(b.recentRequests).toBe(2);
    expect(b.limit).toBe(1);
    expect(b.tryAcquireRetry()).toBeDefined();
    expect(b.tryAcquireRetry()).toBeUndefined();
  });

  it('rejects bad settings', () => {
    expect(() => new RetryBudget({ ratio: -1, minPerSecond: 3 }, { clock: new FakeClock() })).toThrow(/-1/);
  });
});

describe('backoffDelay', () => {
  it('draws full jitter below min(maxMs, base × 2^(retry−1))', () => {
    const rng = new SeededRng(7);
    const caps = [10, 20, 40, 80, 160, 200, 200];
    caps.forEach((cap, i) => {
      let max = 0;
      for (let k = 0; k < 300; k++) {
        const d = backoffDelay(i + 1, { baseMs: 10, maxMs: 200 }, rng);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(cap);
        max = Math.max(max, d);
      }
      expect(max).toBeGreaterThan(cap * 0.9); // really spreads over the range
    });
    expect(backoffDelay(3, { baseMs: 0, maxMs: 0 }, rng)).toBe(0);
    expect(() => backoffDelay(0, { baseMs: 10, maxMs: 200 }, rng)).toThrow(RangeError);
  });
});
