import { describe, expect, it } from 'vitest';
import { summarize } from '../../../../src/chaos/stats/index.js';
import { HistoryBuilder } from '../invariants/history-builder.js';

describe('summarize', () => {
  it('counts calls, outcomes and exact nearest-rank percentiles', () => {
    const h = new HistoryBuilder({ servers: { s: 2 } });
    // latencies 1..100 ms, every 10th a timeout
    for (let i = 1; i <= 100; i++) {
      h.call({ t: i * 10, endpoint: 's[0]', latencyMs: i, outcome: i % 10 === 0 ? 'timeout' : 'success' });
    }
    h.call({ t: 2000, outcome: 'circuit-open' });
    h.call({ t: 2001, end: false });
    h.call({
      t: 2100,
      attempts: [
        { endpoint: 's[0]', outcome: 'connection', latencyMs: 2 },
        { endpoint: 's[1]', latencyMs: 3, kind: 'retry' },
      ],
    });
    h.breakerTo(500, 's[0]', 'open').breakerTo(700, 's[0]', 'half-open').breakerTo(710, 's[0]', 'open');
    h.healthTo(100, 's[0]', 'healthy').healthTo(600, 's[0]', 'unhealthy');
    h.ejection(650, 's[0]', true, 2650).ejection(2650, 's[0]', false);
    const s = summarize(h.build());
    expect(s.calls).toBe(103);
    expect(s.succeeded).toBe(91);
    expect(s.failed).toBe(12);
    expect(s.availability).toBeCloseTo(91 / 103, 10);
    expect(s.byOutcome).toEqual({ success: 91, timeout: 10, 'circuit-open': 1, unfinished: 1 });
    // finished latencies: 1..100, 0 (rejected) and 5 (2 + 3) → 102 values
    // sorted: [0, 1, 2, 3, 4, 5, 5, 6, …, 100]: value v ≥ 5 sits at rank v + 2
    expect(s.p50Ms).toBe(49); // rank ⌈0.5 × 102⌉ = 51
    expect(s.p95Ms).toBe(95); // rank ⌈0.95 × 102⌉ = 97
    expect(s.p99Ms).toBe(99); // rank ⌈0.99 × 102⌉ = 101
    expect(s.maxMs).toBe(100);
    expect(s.retries).toBe(1);
    expect(s.breakerOpenings).toBe(2);
    expect(s.healthTransitions).toBe(2);
    expect(s.ejections).toBe(1);
  });

  it('an empty history has availability 1 and zero latencies', () => {
    const s = summarize(new HistoryBuilder().build());
    expect(s).toMatchObject({ calls: 0, succeeded: 0, failed: 0, availability: 1, p99Ms: 0, maxMs: 0 });
  });
});
