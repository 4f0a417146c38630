import { describe, expect, it } from 'vitest';
import { evaluateCheck } from '../../../../src/chaos/checks/index.js';
import type { History } from '../../../../src/chaos/history.js';
import { HistoryBuilder } from '../invariants/history-builder.js';

const opts = { openForMs: 1000 };

/**
 * 10 s of load, one call every 10 ms (1000 calls) alternating s[0]/s[1], latency 10 ms except 100 ms
 * during [4000, 5000). A fault on s[0] during [3000, 6000): s[0] calls fail (timeout) in [3000, 3500).
 */
function run(): History {
  const h = new HistoryBuilder({ servers: { s: 2 }, durationMs: 10_000 });
  h.fault({ name: 'f', endpoints: ['s[0]'], startT: 3000, endT: 6000 });
  let k = 0;
  for (let t = 0; t < 10_000; t += 10) {
    const endpoint = k++ % 2 === 0 ? 's[0]' : 's[1]';
    const failing = endpoint === 's[0]' && t >= 3000 && t < 3500;
    h.call({
      t,
      endpoint,
      latencyMs: t >= 4000 && t < 5000 ? 100 : 10,
      outcome: failing ? 'timeout' : 'success',
    });
  }
  return h.build();
}

describe('evaluateCheck: whole run', () => {
  const h = run();
  it('availability and error_rate', () => {
    const a = evaluateCheck('availability >= 0.99', h, opts);
    expect(a).toEqual({
      expression: 'availability >= 0.99',
      held: false,
      actual: 'availability 0.9750 (975/1000) in [0s, 10s)',
    });
    expect(evaluateCheck('availability >= 97%', h, opts).held).toBe(true);
    expect(evaluateCheck('error_rate <= 0.025', h, opts).held).toBe(true);
    expect(evaluateCheck('error_rate < 0.025', h, opts).actual).toBe(
      'error_rate 0.0250 (25/1000) in [0s, 10s)',
    );
  });

  it('latency metrics: p(N), avg, max; calls', () => {
    // 900 calls at 10 ms, 100 at 100 ms: p(90) = 10, p(91) = 100
    expect(evaluateCheck('p(90) <= 10ms', h, opts).held).toBe(true);
    expect(evaluateCheck('p(91) <= 10ms', h, opts)).toMatchObject({
      held: false,
      actual: 'p(91) 100ms (of 1000 finished calls) in [0s, 10s)',
    });
    expect(evaluateCheck('avg == 19ms', h, opts).held).toBe(true);
    expect(evaluateCheck('max < 100ms', h, opts).held).toBe(false);
    expect(evaluateCheck('calls == 1000', h, opts)).toMatchObject({
      held: true,
      actual: 'calls 1000 in [0s, 10s)',
    });
  });

  it('accepts the scenario Threshold shape (source instead of expression)', () => {
    const r = evaluateCheck(
      { source: 'calls >= 1', metric: 'calls', op: '>=', value: 1, window: { kind: 'whole' } },
      h,
      opts,
    );
    expect(r).toMatchObject({ expression: 'calls >= 1', held: true });
  });
});

describe('evaluateCheck: windows', () => {
  const h = run();
  it('over D reports the worst window and fails at its start', () => {
    const r = evaluateCheck('availability >= 0.9 over 1s', h, opts);
    expect(r.held).toBe(false);
    // the worst 1 s window holds the whole 500 ms failing stretch: 25 failures of 100 calls
    expect(r.actual).toMatch(
      /^worst availability 0\.7500 \(75\/100\) in \[2\.49s, 3\.49s\); \d+ of \d+ windows failed/,
    );
    expect(r.failedAtT).toBe(2490);
    // first failing window [2.21s, 3.21s): 11 failures among 100 calls
    expect(r.actual).toContain('the first at 2.21s');
    const ok = evaluateCheck('availability >= 0.7 over 1s', h, opts);
    expect(ok.held).toBe(true);
    expect(ok.failedAtT).toBeUndefined();
    expect(ok.actual).toContain('across');
  });

  it('over D with latency finds the slow second', () => {
    const r = evaluateCheck('p(50) < 50ms over 1s', h, opts);
    expect(r.held).toBe(false);
    expect(r.failedAtT).toBeGreaterThanOrEqual(3500);
    expect(r.failedAtT).toBeLessThanOrEqual(4000);
    expect(evaluateCheck('max < 150ms over 500ms', h, opts).held).toBe(true);
  });

  it('calls over D counts empty stretches as 0', () => {
    const g = new HistoryBuilder({ durationMs: 3000 });
    g.call({ t: 100 });
    g.call({ t: 2900 });
    const r = evaluateCheck('calls >= 1 over 1s', g.build(), opts);
    expect(r.held).toBe(false);
    expect(r.actual).toContain('worst calls 0');
  });

  it('during faults = first fault start to last fault end', () => {
    const r = evaluateCheck('availability >= 0.9 during faults', h, opts);
    expect(r.actual).toBe('availability 0.9167 (275/300) in [3s, 6s)');
    expect(r.held).toBe(true);
  });

  it('after recovery = last fault end + openFor to the end', () => {
    const r = evaluateCheck('calls == 300 after recovery', h, opts);
    expect(r).toMatchObject({ held: true, actual: 'calls 300 in [7s, 10s)' });
    expect(evaluateCheck('calls == 200 after recovery', h, { openForMs: 2000 }).held).toBe(true);
  });

  it('steady-state ranges via fromT/toT', () => {
    const r = evaluateCheck('availability >= 0.99 over 1s', h, { openForMs: 0, fromT: 0, toT: 3000 });
    expect(r.held).toBe(true);
    expect(r.actual).toContain('in [0s, 3s)');
    expect(evaluateCheck('calls == 100', h, { openForMs: 0, fromT: 9000, toT: 20_000 }).held).toBe(true);
  });

  it('server filter, and unknown servers fail', () => {
    expect(evaluateCheck('availability{server=s} >= 0.975', h, opts).held).toBe(true);
    const r = evaluateCheck('availability{server=nope} >= 0.9', h, opts);
    expect(r).toMatchObject({ held: false, actual: 'no server named "nope" in this run' });
  });
});

describe('evaluateCheck: vacuous windows', () => {
  it('no calls: availability and latency hold vacuously, calls is 0', () => {
    const g = new HistoryBuilder({ durationMs: 1000 }).build();
    expect(evaluateCheck('availability >= 0.99', g, opts)).toMatchObject({
      held: true,
      actual: 'no calls in [0s, 1s) (vacuous)',
    });
    expect(evaluateCheck('p(99) < 1ms', g, opts).actual).toContain('no finished calls');
    expect(evaluateCheck('calls > 0', g, opts).held).toBe(false);
    expect(evaluateCheck('availability >= 0.99 over 100ms', g, opts).actual).toContain('vacuous');
  });

  it('during faults without faults is empty; after recovery without faults is the whole range', () => {
    const g = new HistoryBuilder({ durationMs: 1000 });
    g.call({ t: 10, outcome: 'timeout' });
    const h = g.build();
    expect(evaluateCheck('availability >= 0.99 during faults', h, opts)).toMatchObject({
      held: true,
      actual: 'empty window: no faults in this run (vacuous)',
    });
    expect(evaluateCheck('calls >= 1 during faults', h, opts).held).toBe(false);
    const after = evaluateCheck('availability >= 0.99 after recovery', h, opts);
    expect(after.held).toBe(false);
    expect(after.actual).toContain('no faults: the whole range');
  });

  it('an open-ended fault leaves no recovery window', () => {
    const g = new HistoryBuilder({ durationMs: 5000 });
    g.fault({ name: 'x', endpoints: ['s[0]'], startT: 1000 });
    g.call({ t: 4000, outcome: 'timeout' });
    const r = evaluateCheck('availability >= 0.99 after recovery', g.build(), opts);
    expect(r.held).toBe(true);
    expect(r.actual).toContain('empty window: recovery starts at 6s');
  });

  it('rejects a bad openFor', () => {
    expect(() => evaluateCheck('calls > 0', new HistoryBuilder().build(), { openForMs: -1 })).toThrow(
      RangeError,
    );
  });
});
