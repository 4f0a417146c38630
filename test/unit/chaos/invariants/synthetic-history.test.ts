import { describe, expect, it } from 'vitest';
import {
  BENCH_PARAMS,
  BENCHED_INVARIANTS,
  benchInvariants,
  syntheticHistory,
} from '../../../../bench/invariants.bench.js';
import { checkInvariant, invariantNames } from '../../../../src/chaos/invariants/index.js';
import { callTable, historyIndex, summarize } from '../../../../src/chaos/stats/index.js';

describe('the synthetic bench history', () => {
  const history = syntheticHistory(40_000, 3);

  it('is well formed: every invariant holds with default params', () => {
    // all but the deploy invariants, which need a deploy to name
    expect(invariantNames.filter((n) => !BENCHED_INVARIANTS.includes(n))).toEqual([
      'deploy-completes-within',
      'deploy-halts-within',
    ]);
    for (const name of BENCHED_INVARIANTS) {
      const r = checkInvariant(name, BENCH_PARAMS[name] ?? {}, history);
      expect(r.violations, name).toEqual([]);
    }
  });

  it('exercises the fault paths (the breaker opens, health flips, retries happen)', () => {
    const s = summarize(history);
    expect(s.breakerOpenings).toBe(2);
    expect(s.healthTransitions).toBeGreaterThanOrEqual(10);
    expect(s.retries).toBeGreaterThan(0);
    expect(s.availability).toBe(1);
    expect(checkInvariant('breaker-opens-within', { within: '250ms' }, history).held).toBe(false);
    // faults last ~490 ms here; detection comes 1.1 s in
    expect(checkInvariant('health-detects-within', { within: '400ms' }, history).violationCount).toBe(2);
  });

  it('the shared index is cached per history object and rebuilt for a new one', () => {
    const first = historyIndex(history);
    expect(historyIndex(history) === first).toBe(true);
    const copy = { ...history };
    expect(historyIndex(copy) === historyIndex(history)).toBe(false);
    expect(callTable(copy).size).toBe(callTable(history).size);
  });

  it('benchInvariants reports events and a positive rate', async () => {
    const r = await benchInvariants(20_000, 1);
    expect(r.events).toBeGreaterThan(15_000);
    expect(r.eventsPerSec).toBeGreaterThan(0);
    expect(r.failed).toEqual([]);
    expect(Object.keys(r.breakdownMs)).toContain('no-lost-calls');
  });
});
