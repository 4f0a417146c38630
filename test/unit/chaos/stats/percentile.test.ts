import { describe, expect, it } from 'vitest';
import { percentileSorted, RankTree, sortedFinite } from '../../../../src/chaos/stats/index.js';
import { SeededRng } from '../../../../src/core/rng.js';

describe('percentiles', () => {
  it('nearest rank', () => {
    const s = sortedFinite([5, 1, 4, 2, 3, Number.NaN]);
    expect([...s]).toEqual([1, 2, 3, 4, 5]);
    expect(percentileSorted(s, 0)).toBe(1);
    expect(percentileSorted(s, 50)).toBe(3);
    expect(percentileSorted(s, 80)).toBe(4);
    expect(percentileSorted(s, 81)).toBe(5);
    expect(percentileSorted(s, 100)).toBe(5);
    expect(percentileSorted(new Float64Array(0), 50)).toBeNaN();
  });

  it('RankTree agrees with sorting under random inserts and removes', () => {
    const rng = new SeededRng(42);
    const universe = Array.from({ length: 300 }, () => Math.floor(rng.next() * 50));
    const tree = new RankTree(universe);
    const held: number[] = [];
    for (let step = 0; step < 2000; step++) {
      if (held.length > 0 && rng.next() < 0.45) {
        const i = Math.floor(rng.next() * held.length);
        tree.remove(held[i]!);
        held.splice(i, 1);
      } else {
        const v = universe[Math.floor(rng.next() * universe.length)]!;
        tree.add(v);
        held.push(v);
      }
      const sorted = Float64Array.from(held).sort();
      for (const p of [0, 50, 95, 99, 100]) expect(tree.percentile(p)).toBe(percentileSorted(sorted, p));
      expect(tree.size).toBe(held.length);
    }
    expect(() => tree.add(0.5)).toThrow(RangeError);
  });
});
