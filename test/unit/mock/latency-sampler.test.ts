import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/rng.js';
import { createLatencySampler } from '../../../src/mock/index.js';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

describe('createLatencySampler', () => {
  it('yields 0 without latency and the constant for fixedMs', () => {
    const rng = new SeededRng(1);
    expect(createLatencySampler(undefined, rng)()).toBe(0);
    const fixed = createLatencySampler({ fixedMs: 12 }, rng);
    expect([fixed(), fixed(), fixed()]).toEqual([12, 12, 12]);
  });

  it.each([
    [5, 50],
    [20, 25],
    [100, 1000],
  ])('log-normal fitted to p50=%d p99=%d reproduces both percentiles', (p50Ms, p99Ms) => {
    const sample = createLatencySampler({ p50Ms, p99Ms }, new SeededRng(42));
    const xs = Array.from({ length: 40_000 }, sample).sort((a, b) => a - b);
    expect(quantile(xs, 0.5)).toBeGreaterThan(p50Ms * 0.95);
    expect(quantile(xs, 0.5)).toBeLessThan(p50Ms * 1.05);
    expect(quantile(xs, 0.99)).toBeGreaterThan(p99Ms * 0.9);
    expect(quantile(xs, 0.99)).toBeLessThan(p99Ms * 1.1);
    expect(xs[0]).toBeGreaterThan(0);
    expect(xs[xs.length - 1]).toBeLessThanOrEqual(p99Ms * 10);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const draw = (seed: number) =>
      Array.from({ length: 5 }, createLatencySampler({ p50Ms: 5, p99Ms: 50 }, new SeededRng(seed)));
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });

  it('p50 = p99 is a constant', () => {
    const s = createLatencySampler({ p50Ms: 7, p99Ms: 7 }, new SeededRng(1));
    expect([s(), s()]).toEqual([7, 7]);
  });
});
