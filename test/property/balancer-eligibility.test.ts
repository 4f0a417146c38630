/**
 * Property: after selectEligible, no balancer ever picks an open / forced-open / full half-open /
 * unhealthy / ejected endpoint while an eligible one exists, always picks from the best tier present
 * (healthy+closed > half-open trial > unknown health), and returns nothing exactly when nothing qualifies.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../src/core/rng.js';
import { createBalancer, type EndpointStatus, selectEligible } from '../../src/manager/balancers/index.js';
import type { BalancerKind, BreakerState } from '../../src/manager/types.js';
import { FC_SEED } from '../helpers/seed.js';

const seed = FC_SEED;
const KINDS: BalancerKind[] = ['round-robin', 'least-in-flight', 'p2c', 'weighted', 'sticky'];

const statusArb = fc.record({
  breaker: fc.constantFrom<BreakerState>('closed', 'open', 'half-open', 'disabled', 'forced-open'),
  slotFree: fc.boolean(),
  health: fc.constantFrom('unknown', 'healthy', 'unhealthy' as const),
  ejected: fc.boolean(),
  inFlight: fc.nat({ max: 5 }),
  ewmaLatencyMs: fc.nat({ max: 100 }),
  weight: fc.integer({ min: 1, max: 5 }),
});
type StatusInput = typeof statusArb extends fc.Arbitrary<infer T> ? T : never;

function toStatus(s: StatusInput, i: number): EndpointStatus {
  const admits =
    s.breaker === 'closed' ||
    s.breaker === 'disabled' ||
    (s.breaker === 'half-open' && s.slotFree) ||
    (s.breaker === 'open' && s.slotFree);
  return {
    id: `s[${i}]`,
    inFlight: s.inFlight,
    ewmaLatencyMs: s.ewmaLatencyMs,
    weight: s.weight,
    eligible: false,
    breaker: s.breaker,
    breakerAdmits: admits,
    health: s.health,
    ejected: s.ejected,
  };
}

/** Independent statement of the tiers: 0 = never, 1 best. */
function rank(e: EndpointStatus): number {
  const bad = e.ejected || e.health === 'unhealthy' || e.breaker === 'forced-open' || !e.breakerAdmits;
  if (bad) return 0;
  if (e.breaker === 'half-open' || e.breaker === 'open') return 2;
  return e.health === 'healthy' ? 1 : 3;
}

describe('balancers never pick an ineligible endpoint while an eligible one exists', () => {
  it.each(KINDS)('%s', (kind) => {
    fc.assert(
      fc.property(
        fc.array(statusArb, { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), statusArb, fc.option(fc.string({ maxLength: 4 }), { nil: undefined })), {
          maxLength: 30,
        }),
        fc.integer(),
        (initial, steps, rngSeed) => {
          const endpoints = initial.map(toStatus);
          const balancer = createBalancer(kind, { rng: new SeededRng(rngSeed) });
          for (const [which, change, key] of steps) {
            const tier = selectEligible(endpoints);
            const ranks = endpoints.map(rank);
            const best = Math.min(...ranks.filter((r) => r > 0));
            const picked = balancer.pick(endpoints, { key });
            if (!Number.isFinite(best)) {
              expect(tier).toBe('none');
              expect(picked).toBeUndefined();
            } else {
              expect(picked).toBeDefined();
              expect(endpoints).toContain(picked);
              expect(rank(picked!)).toBe(best);
              expect(tier).toBe(best === 1 ? 'healthy' : best === 2 ? 'trial' : 'unknown-health');
            }
            // mutate one endpoint in place, as the composer would
            const idx = which % endpoints.length;
            Object.assign(endpoints[idx]!, toStatus(change, idx));
          }
        },
      ),
      { seed, numRuns: 200 },
    );
  });
});
