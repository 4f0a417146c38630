import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { CircuitBreaker, CountWindow, TimeWindow } from '../../../../src/manager/breaker/index.js';
import type { BreakerSettings, RateBreakerSettings } from '../../../../src/manager/types.js';

function rate(trip: Partial<RateBreakerSettings>, clock = new FakeClock(0)) {
  const settings: BreakerSettings = {
    trip: { policy: 'rate', window: { kind: 'count', size: 10 }, minCalls: 4, failureRate: 0.5, ...trip },
    openForMs: 500,
    halfOpenTrials: 1,
    countedFailures: ['connection', 'timeout', 'session-lost', 'server-5xx'],
  };
  const breaker = new CircuitBreaker(settings, { clock, endpoint: 'e' });
  const call = (ok: boolean, latencyMs = 1) => {
    const p = breaker.tryAcquire();
    if (!p.ok) throw new Error('rejected');
    if (ok) p.success(latencyMs);
    else p.failure('timeout', latencyMs);
  };
  return { breaker, call, clock };
}

describe('rate policy — count window', () => {
  it('never opens below minCalls, even at 100 % failures', () => {
    const { breaker, call } = rate({ minCalls: 4 });
    call(false);
    call(false);
    call(false);
    expect(breaker.state).toBe('closed');
    call(false);
    expect(breaker.state).toBe('open');
  });

  it('opens exactly when the failure rate reaches the threshold (>=, not >)', () => {
    const { breaker, call } = rate({ minCalls: 4, failureRate: 0.5 });
    call(true);
    call(true);
    call(false); // 1/3, below minCalls
    expect(breaker.state).toBe('closed');
    call(false); // 2/4 = 0.5 >= 0.5
    expect(breaker.state).toBe('open');
  });

  it('may open on a success that brings the window to minCalls', () => {
    const { breaker, call } = rate({ minCalls: 4, failureRate: 0.5 });
    call(false);
    call(false);
    call(false);
    call(true); // 3/4
    expect(breaker.state).toBe('open');
  });

  it('slides: old failures fall out of a count window', () => {
    const { breaker, call } = rate({ window: { kind: 'count', size: 4 }, minCalls: 4, failureRate: 0.75 });
    call(false);
    call(false);
    call(true);
    call(true); // 2/4
    call(true); // F T T T: 1/4
    call(false); // T T T F: 1/4
    call(false); // T T F F: 2/4
    expect(breaker.state).toBe('closed');
    call(false); // T F F F: 3/4 = 0.75
    expect(breaker.state).toBe('open');
  });

  it('uses min(minCalls, size) for count windows', () => {
    const { breaker, call } = rate({ window: { kind: 'count', size: 2 }, minCalls: 50, failureRate: 1 });
    call(false);
    expect(breaker.state).toBe('closed');
    call(false);
    expect(breaker.state).toBe('open');
  });

  it('opens on the slow-call rate (slow = latency > overMs, failed or not)', () => {
    const { breaker, call } = rate({ minCalls: 4, failureRate: 1, slowCall: { overMs: 100, rate: 0.5 } });
    call(true, 100); // not slow: needs > overMs
    call(true, 5);
    call(true, 101);
    expect(breaker.state).toBe('closed');
    call(true, 300); // 2/4 slow
    expect(breaker.state).toBe('open');
  });
});

describe('rate policy — time window', () => {
  it('forgets calls older than the window (10 buckets of sizeMs/10)', () => {
    const clock = new FakeClock(0);
    const { breaker, call } = rate(
      { window: { kind: 'time', sizeMs: 1000 }, minCalls: 4, failureRate: 0.5 },
      clock,
    );
    call(false);
    call(false);
    call(true);
    clock.advance(1000); // bucket 0 slides out at t = 1000 (index 10 − 9 = 1)
    call(false); // window: 1 call
    call(true);
    call(true);
    expect(breaker.state).toBe('closed');
    call(false); // 2/4
    expect(breaker.state).toBe('open');
  });

  it('keeps calls of the previous nine buckets', () => {
    const clock = new FakeClock(0);
    const w = new TimeWindow(1000, clock);
    w.add(true, false);
    clock.advance(950);
    w.add(false, true);
    expect([w.calls, w.failures, w.slow]).toEqual([2, 1, 1]);
    clock.advance(49); // t = 999: still bucket 9
    w.refresh();
    expect(w.calls).toBe(2);
    clock.advance(1); // t = 1000: bucket 0 drops out
    expect(w.calls).toBe(2); // totals are as of the last add()/refresh()
    w.refresh();
    expect([w.calls, w.failures, w.slow]).toEqual([1, 0, 1]);
    clock.advance(5000);
    w.refresh();
    expect(w.calls).toBe(0);
  });

  it('count window keeps running totals', () => {
    const w = new CountWindow(3);
    w.add(true, true);
    w.add(false, false);
    w.add(true, false);
    w.add(false, false); // evicts the first
    expect([w.calls, w.failures, w.slow]).toEqual([3, 1, 0]);
    w.clear();
    expect(w.calls).toBe(0);
  });
});
