import { describe, expect, it } from 'vitest';
import { chooseBucketMs, timeline } from '../../../../src/chaos/stats/index.js';
import { HistoryBuilder } from '../invariants/history-builder.js';

describe('chooseBucketMs', () => {
  it('picks the smallest nice size giving at most 600 buckets', () => {
    expect(chooseBucketMs(12_000)).toBe(20);
    expect(chooseBucketMs(6_000)).toBe(10);
    expect(chooseBucketMs(60_000)).toBe(100);
    expect(chooseBucketMs(3_600_000)).toBe(10_000);
    expect(chooseBucketMs(1000, 10)).toBe(100);
    expect(() => chooseBucketMs(1000, 0)).toThrow(RangeError);
  });
});

describe('timeline', () => {
  it('buckets calls by start time with ok/failed/rejected and exact percentiles', () => {
    const h = new HistoryBuilder({ durationMs: 1000 });
    h.call({ t: 10, latencyMs: 4 });
    h.call({ t: 20, latencyMs: 8 });
    h.call({ t: 30, latencyMs: 100, outcome: 'timeout' });
    h.call({ t: 40, outcome: 'circuit-open' });
    h.call({ t: 150, latencyMs: 7 });
    h.call({ t: 160, end: false });
    const tl = timeline(h.build(), 100);
    expect(tl).toHaveLength(11); // [0, 1000] in 100 ms buckets
    expect(tl[0]).toEqual({ t: 0, calls: 4, ok: 2, failed: 1, rejected: 1, p50Ms: 4, p99Ms: 100 });
    expect(tl[1]).toEqual({ t: 100, calls: 2, ok: 1, failed: 1, rejected: 0, p50Ms: 7, p99Ms: 7 });
    expect(tl[2]).toMatchObject({ calls: 0, p50Ms: 0 });
    const total = tl.reduce((a, b) => a + b.calls, 0);
    expect(total).toBe(6);
  });

  it('never exceeds ~600 buckets and covers calls before 0', () => {
    const h = new HistoryBuilder({ durationMs: 60_000 });
    h.call({ t: -500 });
    h.call({ t: 59_999 });
    const tl = timeline(h.build(), 1);
    expect(tl.length).toBeLessThanOrEqual(602);
    expect(tl[0]!.t).toBeLessThanOrEqual(-500);
    expect(tl.reduce((a, b) => a + b.calls, 0)).toBe(2);
  });

  it('rejects a non-positive bucket', () => {
    expect(() => timeline(new HistoryBuilder().build(), 0)).toThrow(RangeError);
  });
});
