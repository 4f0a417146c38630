import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { RateLimiter } from '../../../src/gateway/index.js';

describe('rate limiter', () => {
  it('allows the burst at once, then the sustained rate, and says how long to wait', () => {
    const clock = new FakeClock();
    const rl = new RateLimiter(clock, 10, 3);
    expect([rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([0, 0, 0]);
    expect(rl.take('a')).toBe(100); // one token every 100 ms
    clock.advance(100);
    expect(rl.take('a')).toBe(0);
    expect(rl.take('a')).toBeGreaterThan(0);
    expect(rl.take('b')).toBe(0); // clients are apart
  });

  it('refills to the burst, not beyond', () => {
    const clock = new FakeClock();
    const rl = new RateLimiter(clock, 1, 2);
    rl.take('a');
    rl.take('a');
    clock.advance(60_000);
    expect([rl.take('a'), rl.take('a'), rl.take('a') > 0]).toEqual([0, 0, true]);
  });

  it('keeps at most maxClients buckets, forgetting the least recently seen', () => {
    const clock = new FakeClock();
    const rl = new RateLimiter(clock, 1, 1, 2);
    rl.take('a');
    rl.take('b');
    rl.take('a');
    rl.take('c'); // evicts b
    expect(rl.clients).toBe(2);
    expect(rl.take('a')).toBeGreaterThan(0); // a kept its spent bucket
    expect(rl.take('b')).toBe(0); // b starts afresh
  });

  it('takes n tokens at once (a batch), all or none; n = 0 only looks', () => {
    const clock = new FakeClock();
    const rl = new RateLimiter(clock, 10, 10);
    expect(rl.take('a', 0)).toBe(0);
    expect(rl.take('a', 8)).toBe(0); // 2 left
    expect(rl.take('a', 5)).toBe(300); // 3 missing at 10/s; nothing taken
    expect(rl.take('a', 2)).toBe(0);
    expect(rl.take('a', 0)).toBe(100); // empty: a look says how long
    clock.advance(100);
    expect(rl.take('a', 0)).toBe(0);
    expect(rl.take('a')).toBe(0);
  });

  it('rejects a bad rate or burst, quoting it', () => {
    const clock = new FakeClock();
    expect(() => new RateLimiter(clock, 0, 1)).toThrow(/ratePerSecond must be > 0, got 0/);
    expect(() => new RateLimiter(clock, 1, 0)).toThrow(/burst must be >= 1, got 0/);
  });
});
