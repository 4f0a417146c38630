import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../bench/support/histogram.js';

describe('LatencyHistogram', () => {
  it('percentiles within 1 % of exact on a known distribution', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 10_000; i++) h.record(i / 10); // 0.1 .. 1000 ms uniform
    expect(h.count).toBe(10_000);
    for (const [p, exact] of [
      [50, 500],
      [99, 990],
      [99.9, 999],
    ] as const) {
      expect(Math.abs(h.percentile(p) - exact) / exact).toBeLessThan(0.01);
    }
    expect(h.max()).toBe(1000);
    expect(h.mean()).toBeCloseTo(500.05, 1);
  });

  it('corrects for coordinated omission: one 1 s stall at a 10 ms interval adds the missed samples', () => {
    const plain = new LatencyHistogram();
    const corrected = new LatencyHistogram();
    for (let i = 0; i < 99; i++) {
      plain.record(1);
      corrected.recordCorrected(1, 10);
    }
    plain.record(1000);
    corrected.recordCorrected(1000, 10);
    expect(plain.count).toBe(100);
    expect(corrected.count).toBe(100 + 99);
    expect(plain.percentile(90)).toBeLessThan(2);
    expect(corrected.percentile(90)).toBeGreaterThan(500);
  });
});
