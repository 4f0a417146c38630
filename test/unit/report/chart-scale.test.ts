import { describe, expect, it } from 'vitest';
import { bucketWidthMs, linearScale, mergeBuckets, niceTicks } from '../../../src/report/chart-scale.js';
import { makeJournal } from './fixture-journal.js';

describe('chart scales', () => {
  it('niceTicks covers [0, max] in 1/2/5×10^k steps', () => {
    expect(niceTicks(212, 4)).toEqual([0, 100, 200, 300]);
    expect(niceTicks(12, 10)).toEqual([0, 2, 4, 6, 8, 10, 12]);
    expect(niceTicks(0.37, 4)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(0)).toEqual([0]);
    expect(niceTicks(Number.NaN)).toEqual([0]);
    for (const max of [1, 7, 99, 1234, 0.05]) {
      const t = niceTicks(max, 5);
      expect(t[t.length - 1]).toBeGreaterThanOrEqual(max);
      expect(t.length).toBeLessThanOrEqual(12);
    }
  });
  it('linearScale maps ends and a degenerate domain', () => {
    const s = linearScale(0, 10, 100, 200);
    expect([s(0), s(5), s(10)]).toEqual([100, 150, 200]);
    expect(linearScale(3, 3, 7, 9)(100)).toBe(7);
  });
  it('bucketWidthMs finds the common gap; mergeBuckets sums counts, weights p50, keeps max p99', () => {
    const tl = makeJournal().timeline;
    expect(bucketWidthMs(tl)).toBe(250);
    expect(bucketWidthMs([])).toBe(1000);
    const merged = mergeBuckets(tl, 4);
    expect(merged).toHaveLength(12);
    const first4 = tl.slice(0, 4);
    expect(merged[0]?.calls).toBe(first4.reduce((n, b) => n + b.calls, 0));
    expect(merged[0]?.p99Ms).toBe(Math.max(...first4.map((b) => b.p99Ms)));
    const weighted = first4.reduce((n, b) => n + b.p50Ms * b.calls, 0) / (merged[0]?.calls ?? 1);
    expect(merged[0]?.p50Ms).toBeCloseTo(weighted, 9);
    expect(merged.reduce((n, b) => n + b.ok, 0)).toBe(tl.reduce((n, b) => n + b.ok, 0));
  });
});
