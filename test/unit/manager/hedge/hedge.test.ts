import { describe, expect, it } from 'vitest';
import { HedgePolicy, LatencyPercentile } from '../../../../src/manager/hedge/index.js';

describe('LatencyPercentile', () => {
  it('computes nearest-rank percentiles over the last capacity samples', () => {
    const p = new LatencyPercentile(100);
    expect(p.percentile(50)).toBeUndefined();
    for (let i = 1; i <= 100; i++) p.record(i);
    expect(p.percentile(50)).toBe(50);
    expect(p.percentile(95)).toBe(95);
    expect(p.percentile(100)).toBe(100);
    for (let i = 0; i < 50; i++) p.record(1000); // overwrites 1..50
    expect(p.percentile(50)).toBe(100);
    expect(p.percentile(51)).toBe(1000);
    expect(() => p.percentile(0)).toThrow(RangeError);
  });
});

describe('HedgePolicy', () => {
  it('delays by max(minDelayMs, pXX) once it has enough samples', () => {
    const h = new HedgePolicy({ percentile: 90, minDelayMs: 10, maxInFlight: 1 }, { minSamples: 10 });
    for (let i = 1; i <= 9; i++) h.recordLatency(i);
    expect(h.delayMs()).toBeUndefined();
    h.recordLatency(10);
    expect(h.delayMs()).toBe(10); // p90 = 9 < minDelay
    for (let i = 0; i < 10; i++) h.recordLatency(100);
    expect(h.delayMs()).toBe(100);
  });

  it('bounds hedges in flight', () => {
    const h = new HedgePolicy({ percentile: 95, minDelayMs: 10, maxInFlight: 2 });
    const a = h.tryAcquire();
    const b = h.tryAcquire();
    expect(h.tryAcquire()).toBeUndefined();
    a!.release();
    a!.release();
    expect(h.inFlight).toBe(1);
    expect(h.tryAcquire()).toBeDefined();
    b!.release();
    expect(() => new HedgePolicy({ percentile: 120, minDelayMs: 1, maxInFlight: 1 })).toThrow(/120/);
  });
});
