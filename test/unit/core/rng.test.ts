import { describe, expect, it } from 'vitest';
import { hashString, SeededRng } from '../../../src/core/rng.js';

describe('SeededRng', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const a = new SeededRng(42);
    const b = new SeededRng(42);
    const c = new SeededRng(43);
    const sa = Array.from({ length: 20 }, () => a.next());
    const sb = Array.from({ length: 20 }, () => b.next());
    const sc = Array.from({ length: 20 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('stays in range and is roughly uniform', () => {
    const r = new SeededRng(7);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      buckets[Math.floor(x * 10)]++;
    }
    for (const b of buckets) expect(Math.abs(b - 2000)).toBeLessThan(200);
  });

  it('int is inclusive and chance honours 0 and 1', () => {
    const r = new SeededRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(r.int(3, 5));
    expect([...seen].sort()).toEqual([3, 4, 5]);
    expect(() => r.int(5, 3)).toThrow(RangeError);
    for (let i = 0; i < 100; i++) {
      expect(r.chance(0)).toBe(false);
      expect(r.chance(1)).toBe(true);
    }
  });

  it('fork is stable per label and independent across labels', () => {
    const r = new SeededRng(9);
    expect(r.fork('x').next()).toBe(new SeededRng(9).fork('x').next());
    expect(r.fork('x').next()).not.toBe(r.fork('y').next());
    expect(hashString('abc')).toBe(hashString('abc'));
  });

  it('rejects a non-finite seed', () => {
    expect(() => new SeededRng(Number.NaN)).toThrow(RangeError);
  });
});
