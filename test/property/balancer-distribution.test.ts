/**
 * Properties of long-run choices: the weighted balancer respects weights (exactly per cycle from a fresh
 * start, within a tolerance after random eligibility churn); the sticky balancer keeps a key on its
 * endpoint while that endpoint stays eligible, moving it only when it leaves or when the key's
 * higher-ranked endpoint returns; least-in-flight never picks a busier endpoint than the least busy one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../src/core/rng.js';
import { createBalancer, type EndpointView } from '../../src/manager/balancers/index.js';
import { FC_SEED } from '../helpers/seed.js';

const seed = FC_SEED;

const views = (weights: number[]): EndpointView[] =>
  weights.map((weight, i) => ({ id: `s[${i}]`, inFlight: 0, ewmaLatencyMs: 1, weight, eligible: true }));

function count(b: ReturnType<typeof createBalancer>, v: EndpointView[], picks: number): Map<string, number> {
  const c = new Map<string, number>();
  for (let i = 0; i < picks; i++) {
    const id = b.pick(v)!.id;
    c.set(id, (c.get(id) ?? 0) + 1);
  }
  return c;
}

describe('weighted balancer respects weights', () => {
  it('picks each endpoint exactly weight × k times over k full cycles from a fresh start', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 5 }),
        (w, k) => {
          const b = createBalancer('weighted', { rng: new SeededRng(1) });
          const v = views(w);
          const total = w.reduce((a, x) => a + x, 0);
          const c = count(b, v, total * k);
          w.forEach((wi, i) => {
            expect(c.get(`s[${i}]`) ?? 0).toBe(wi * k);
          });
        },
      ),
      { seed, numRuns: 200 },
    );
  });

  it('converges to the weight shares (±3 %) after random eligibility churn', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.integer({ min: 1, max: 20 })), { maxLength: 20 }),
        (w, churn) => {
          const b = createBalancer('weighted', { rng: new SeededRng(1) });
          const v = views(w);
          for (const [which, eligible, picks] of churn) {
            v[which % v.length]!.eligible = eligible;
            for (let i = 0; i < picks; i++) b.pick(v);
          }
          for (const e of v) e.eligible = true;
          const total = w.reduce((a, x) => a + x, 0);
          const n = total * 100;
          const c = count(b, v, n);
          w.forEach((wi, i) => {
            expect(Math.abs((c.get(`s[${i}]`) ?? 0) / n - wi / total)).toBeLessThanOrEqual(0.03);
          });
        },
      ),
      { seed, numRuns: 100 },
    );
  });
});

describe('sticky balancer keeps keys in place', () => {
  it('a key moves only when its endpoint leaves, or back to a higher-ranked endpoint that returns', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 20 }),
        (n, keys, flips) => {
          const b = createBalancer('sticky', { rng: new SeededRng(1) });
          const v = views(Array(n).fill(1));
          // each key's full ranking, read off with everything eligible by removing the winner repeatedly
          const ranking = new Map<string, string[]>();
          for (const key of keys) {
            const order: string[] = [];
            const probe = views(Array(n).fill(1));
            for (let i = 0; i < n; i++) {
              const id = b.pick(probe, { key })!.id;
              order.push(id);
              probe.find((e) => e.id === id)!.eligible = false;
            }
            ranking.set(key, order);
          }
          let before = new Map(keys.map((k) => [k, b.pick(v, { key: k })?.id]));
          for (const [which, eligible] of flips) {
            const changed = v[which % n]!;
            changed.eligible = eligible;
            const now = new Map(keys.map((k) => [k, b.pick(v, { key: k })?.id]));
            for (const key of keys) {
              const was = before.get(key);
              const is = now.get(key);
              // the pick is always the highest-ranked eligible endpoint
              expect(is).toBe(ranking.get(key)!.find((id) => v.find((e) => e.id === id)!.eligible));
              if (was !== is && was !== undefined && is !== undefined) {
                const left = was === changed.id && !eligible;
                const higherReturned = is === changed.id && eligible;
                expect(left || higherReturned).toBe(true);
              }
            }
            before = now;
          }
        },
      ),
      { seed, numRuns: 200 },
    );
  });
});

describe('least-in-flight', () => {
  it('always picks an eligible endpoint with the minimum in-flight count', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 6 }), fc.boolean()), { minLength: 1, maxLength: 10 }),
        fc.integer(),
        (spec, rngSeed) => {
          const b = createBalancer('least-in-flight', { rng: new SeededRng(rngSeed) });
          const v = spec.map(([inFlight, eligible], i) => ({
            ...views([1])[0]!,
            id: `s[${i}]`,
            inFlight,
            eligible,
          }));
          const eligible = v.filter((e) => e.eligible);
          const picked = b.pick(v);
          if (eligible.length === 0) expect(picked).toBeUndefined();
          else expect(picked!.inFlight).toBe(Math.min(...eligible.map((e) => e.inFlight)));
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});
