/**
 * Property: the health state machine follows the Envoy rules, checked against a model that recomputes the
 * state from the raw result history (consecutive runs since the last transition), and every transition is
 * legal and emitted exactly once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import {
  HealthStateMachine,
  type HealthTransition,
  isLegalHealthTransition,
} from '../../src/manager/health/index.js';
import type { HealthState } from '../../src/manager/types.js';
import { FC_SEED } from '../helpers/seed.js';

const seed = FC_SEED;

/** The state after `results`, recomputed from scratch: runs are counted from the last transition. */
function modelStates(results: boolean[], unhealthyAfter: number, healthyAfter: number): HealthState[] {
  const states: HealthState[] = [];
  let state: HealthState = 'unknown';
  let lastTransition = -1;
  results.forEach((ok, k) => {
    const since = results.slice(lastTransition + 1, k + 1);
    const tailAll = (n: number, v: boolean) => since.length >= n && since.slice(-n).every((r) => r === v);
    let next = state;
    if (state === 'unknown' && ok) next = 'healthy';
    else if (state !== 'unhealthy' && tailAll(unhealthyAfter, false)) next = 'unhealthy';
    else if (state === 'unhealthy' && tailAll(healthyAfter, true)) next = 'healthy';
    if (next !== state) lastTransition = k;
    state = next;
    states.push(state);
  });
  return states;
}

describe('health state machine', () => {
  it('matches the run-length model; transitions legal and emitted once each', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        (unhealthyAfter, healthyAfter, results) => {
          const clock = new FakeClock(0);
          const m = new HealthStateMachine({ unhealthyAfter, healthyAfter }, { clock, endpoint: 'e' });
          const events: HealthTransition[] = [];
          m.onTransition((e) => events.push(e));
          const expected = modelStates(results, unhealthyAfter, healthyAfter);
          let prev: HealthState = 'unknown';
          results.forEach((ok, k) => {
            const before = events.length;
            clock.advance(1);
            m.record(ok);
            expect(m.state).toBe(expected[k]);
            const changed = m.state !== prev;
            expect(events.length - before).toBe(changed ? 1 : 0);
            if (changed) {
              const e = events.at(-1)!;
              expect([e.from, e.to, e.t]).toEqual([prev, m.state, clock.now()]);
              expect(isLegalHealthTransition(e.from, e.to)).toBe(true);
            }
            prev = m.state;
          });
        },
      ),
      { seed, numRuns: 500 },
    );
  });
});
