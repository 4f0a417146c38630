import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { type EjectionEvent, OutlierDetector } from '../../../../src/manager/ejection/index.js';
import type { EjectionSettings } from '../../../../src/manager/types.js';

const settings: EjectionSettings = {
  consecutiveFailures: 3,
  baseTimeMs: 1000,
  maxTimeMs: 2500,
  maxPercent: 50,
};

function setup(n = 4, over: Partial<EjectionSettings> = {}) {
  const clock = new FakeClock(0);
  const endpoints = Array.from({ length: n }, (_, i) => `s[${i}]`);
  const d = new OutlierDetector({ ...settings, ...over }, { clock, endpoints });
  const events: EjectionEvent[] = [];
  d.onEjection((e) => events.push(e));
  const fail = (id: string, k = 1) => {
    for (let i = 0; i < k; i++) d.recordFailure(id);
  };
  return { clock, d, events, fail };
}

describe('OutlierDetector', () => {
  it('ejects after consecutive failures; a success resets the run', () => {
    const { d, events, fail } = setup();
    fail('s[0]', 2);
    d.recordSuccess('s[0]');
    fail('s[0]', 2);
    expect(d.isEjected('s[0]')).toBe(false);
    fail('s[0]');
    expect(d.isEjected('s[0]')).toBe(true);
    expect(d.ejectedUntil('s[0]')).toBe(1000);
    expect(events).toEqual([
      {
        endpoint: 's[0]',
        ejected: true,
        untilT: 1000,
        reason: '3 consecutive failures (ejection #1, 1000 ms)',
        t: 0,
      },
    ]);
  });

  it('returns on a timer after baseTime × times-ejected, capped at maxTime', () => {
    const { clock, d, events, fail } = setup();
    const durations: number[] = [];
    for (let i = 0; i < 4; i++) {
      fail('s[1]', 3);
      const until = d.ejectedUntil('s[1]')!;
      durations.push(until - clock.now());
      clock.advance(until - clock.now() - 1);
      expect(d.isEjected('s[1]')).toBe(true);
      clock.advance(1);
      expect(d.isEjected('s[1]')).toBe(false);
    }
    expect(durations).toEqual([1000, 2000, 2500, 2500]);
    expect(events.filter((e) => !e.ejected).map((e) => e.reason)).toEqual(
      Array(4).fill('ejection time elapsed'),
    );
  });

  it('decays the multiplier by one per baseTime spent back in service', () => {
    const { clock, d, fail } = setup();
    fail('s[0]', 3);
    clock.advance(1000);
    fail('s[0]', 3); // #2: 2000
    clock.advance(2000);
    clock.advance(999); // 0.999 s back: no decay
    fail('s[0]', 3);
    expect(d.ejectedUntil('s[0]')! - clock.now()).toBe(2500); // #3 capped
    clock.advance(2500);
    clock.advance(2000); // two full base times back: 3 → 1, then +1
    fail('s[0]', 3);
    expect(d.ejectedUntil('s[0]')! - clock.now()).toBe(2000);
  });

  it('respects maxPercent with floor semantics, but one can always be ejected', () => {
    const four = setup(4, { maxPercent: 50 });
    expect(four.d.maxEjected).toBe(2);
    const five = setup(5, { maxPercent: 50 });
    expect(five.d.maxEjected).toBe(2);
    const two = setup(2, { maxPercent: 10 });
    expect(two.d.maxEjected).toBe(1);
    two.fail('s[0]', 3);
    two.fail('s[1]', 3);
    expect([two.d.isEjected('s[0]'), two.d.isEjected('s[1]')]).toEqual([true, false]);
    expect(two.d.ejectedCount).toBe(1);
    // s[1] keeps its run: ejected by its next failure once the slot is free
    two.clock.advance(1000);
    expect(two.d.isEjected('s[1]')).toBe(false);
    two.fail('s[1]');
    expect(two.d.isEjected('s[1]')).toBe(true);
  });

  it('a successful health check brings an endpoint back early', () => {
    const { clock, d, events, fail } = setup();
    fail('s[2]', 3);
    clock.advance(300);
    d.noteHealthy('s[2]');
    d.noteHealthy('s[2]'); // not ejected: no event
    expect(d.isEjected('s[2]')).toBe(false);
    expect(events.at(-1)).toEqual({
      endpoint: 's[2]',
      ejected: false,
      reason: 'active health check succeeded',
      t: 300,
    });
    expect(clock.pending()).toBe(0);
  });

  it('ignores results while ejected, disables with consecutiveFailures 0, rejects unknown ids', () => {
    const { d, fail } = setup();
    fail('s[0]', 3);
    fail('s[0]', 10);
    d.recordSuccess('s[0]');
    expect(d.ejectedCount).toBe(1);
    const off = setup(3, { consecutiveFailures: 0 });
    off.fail('s[0]', 100);
    expect(off.d.ejectedCount).toBe(0);
    // an endpoint that left the fleet (or never was in it): its late results are ignored
    d.recordFailure('nope');
    expect(d.isEjected('nope')).toBe(false);
    expect(() => setup(2, { maxPercent: 101 })).toThrow(RangeError);
  });

  it('dispose clears the timers', () => {
    const { clock, d, fail } = setup();
    fail('s[0]', 3);
    expect(clock.pending()).toBe(1);
    d.dispose();
    expect(clock.pending()).toBe(0);
  });
});

describe('outlier detection in a live fleet', () => {
  it('added endpoints start clean; a removed one is forgotten and frees its ejection slot', () => {
    const clock = new FakeClock(0);
    const d = new OutlierDetector(
      { consecutiveFailures: 2, baseTimeMs: 1000, maxTimeMs: 5000, maxPercent: 50 },
      { clock, endpoints: ['s[0]', 's[1]'] },
    );
    expect(d.maxEjected).toBe(1);
    d.addEndpoint('s[2]');
    d.addEndpoint('s[3]');
    expect(d.maxEjected).toBe(2);
    d.recordFailure('s[2]');
    d.recordFailure('s[2]');
    expect(d.isEjected('s[2]')).toBe(true);
    expect(d.ejectedCount).toBe(1);
    d.removeEndpoint('s[2]');
    expect(d.ejectedCount).toBe(0);
    expect(d.isEjected('s[2]')).toBe(false);
    expect(clock.pending()).toBe(0); // its return timer went with it
    d.recordFailure('s[2]'); // a late result: ignored
    expect(d.maxEjected).toBe(1);
    d.dispose();
  });
});
