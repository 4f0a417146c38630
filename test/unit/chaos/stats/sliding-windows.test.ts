import { describe, expect, it } from 'vitest';
import { slideWindows } from '../../../../src/chaos/stats/index.js';
import { SeededRng } from '../../../../src/core/rng.js';

/** Every distinct set of rows any window [s, s+w) with from ≤ s ≤ to−w contains, by brute force. */
function bruteSets(times: number[], from: number, to: number, w: number): Set<string> {
  const out = new Set<string>();
  const cands = new Set<number>([from, to - w]);
  for (const t of times) for (const d of [-1e-6, 0, 1e-6]) cands.add(t + d).add(t - w + d);
  for (const s of cands) {
    if (s < from || s > to - w) continue;
    out.add(times.flatMap((t, i) => (t >= s && t < s + w ? [i] : [])).join(','));
  }
  return out;
}

describe('slideWindows', () => {
  it('visits exactly the distinct windows, each with its exact content', () => {
    const rng = new SeededRng(7);
    for (let round = 0; round < 200; round++) {
      const n = Math.floor(rng.next() * 25);
      const times = Array.from({ length: n }, () => Math.floor(rng.next() * 100)).sort((a, b) => a - b);
      const w = 1 + Math.floor(rng.next() * 30);
      const from = Math.floor(rng.next() * 20);
      const to = from + w + Math.floor(rng.next() * 80);
      const held = new Set<number>();
      const seen = new Set<string>();
      slideWindows(times, from, to, w, {
        add: (i) => held.add(i),
        remove: (i) => held.delete(i),
        visit: (s) => {
          expect(s).toBeGreaterThanOrEqual(from);
          expect(s).toBeLessThanOrEqual(to - w);
          const expected = times.flatMap((t, i) => (t >= s && t < s + w ? [i] : []));
          expect([...held].sort((a, b) => a - b)).toEqual(expected);
          seen.add(expected.join(','));
        },
      });
      expect(seen).toEqual(bruteSets(times, from, to, w));
    }
  });

  it('visits a range shorter than the width once, as a whole', () => {
    const visits: Array<[number, number]> = [];
    let count = 0;
    slideWindows([1, 2, 3, 10], 0, 5, 100, {
      add: () => count++,
      remove: () => count--,
      visit: (s) => visits.push([s, count]),
    });
    expect(visits).toEqual([[0, 3]]);
    expect(() => slideWindows([], 0, 1, 0, { add() {}, remove() {}, visit() {} })).toThrow(RangeError);
  });
});
