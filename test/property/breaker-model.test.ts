/**
 * Model-based property: the circuit breaker behaves exactly like a small reference model, for both trip
 * policies, under random interleavings of acquire / settle (success, counted and uncounted failures,
 * ignore, double settle, late permits) / time / operator commands. Checks the six invariants of
 * RESILIENCE-SEMANTICS.md after every command (see support/breaker-model.ts).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { CircuitBreaker } from '../../src/manager/breaker/index.js';
import { FC_SEED } from '../helpers/seed.js';
import { breakerMatchesModel } from '../unit/manager/support/breaker-model.js';

const seed = FC_SEED;

describe('breaker matches its reference model (invariants 1–6)', () => {
  it('holds for the real breaker, both policies', () => {
    fc.assert(
      breakerMatchesModel((s, d) => new CircuitBreaker(s, d)),
      { seed, numRuns: 400 },
    );
  });
});
