import { describe, expect, it } from 'vitest';
import type { ExecutionRecord, History } from '../../../../src/chaos/history.js';
import { checkInvariant } from '../../../../src/chaos/invariants/index.js';
import { fillSutPlaceholders } from '../../../../src/chaos/scenario/index.js';
import { HistoryBuilder } from './history-builder.js';

/** A 503 storm on s[0] over [1000, 4000) and what reached s[0] at the given times. */
function storm(times: number[], kind: 'mcp' | 'down' = 'mcp'): History {
  const h = new HistoryBuilder();
  h.fault({
    name: 'storm',
    endpoints: ['s[0]'],
    startT: 1000,
    endT: 4000,
    kind,
    detail: kind === 'mcp' ? 'mcp status 503' : 'down',
  });
  const history = h.build();
  history.executions = times.map(
    (t): ExecutionRecord => ({
      endpoint: 's[0]',
      tool: 'echo',
      t,
      ...(t >= 1000 && t < 4000 ? { faulted: 'status' } : {}),
    }),
  );
  return history;
}

describe('traffic-leaves-within', () => {
  it('holds when the faulted replica gets nothing from `within` after the start until the end', () => {
    const r = checkInvariant(
      'traffic-leaves-within',
      { fault: 'storm', within: '1s' },
      storm([500, 1100, 1900, 4100]),
    );
    expect(r.held).toBe(true);
    expect(r.summary).toMatch(/1 faulted replica sent no new calls from 1000ms/);
  });

  it('names the replica, how many calls and the first one when traffic keeps coming', () => {
    const r = checkInvariant(
      'traffic-leaves-within',
      { fault: 'storm', within: '1s' },
      storm([1100, 2000, 2500, 3999]),
    );
    expect(r.held).toBe(false);
    expect(r.violations[0]?.endpoint).toBe('s[0]');
    expect(r.violations[0]?.message).toMatch(
      /s\[0\] was still sent 3 calls from 2s .*first at 2s, answered by the fault: status/,
    );
  });

  it('a fault that stops requests before the replica is not judged: vacuous unless allowed', () => {
    const r = checkInvariant('traffic-leaves-within', { fault: 'storm' }, storm([], 'down'));
    expect(r.held).toBe(false);
    expect(r.violations[0]?.message).toMatch(/vacuous: .*down stops requests before the replica/);
    expect(
      checkInvariant('traffic-leaves-within', { fault: 'storm', allowVacuous: true }, storm([], 'down')).held,
    ).toBe(true);
  });

  it('cannot judge without execution logs', () => {
    const h = storm([]);
    delete h.executions;
    const r = checkInvariant('traffic-leaves-within', {}, h);
    expect(r.held).toBe(false);
    expect(r.violations[0]?.message).toMatch(/cannot judge/);
  });
});

describe('gateway placeholders', () => {
  const upstreams = new Map([['weather', ['http://127.0.0.1:1/mcp', 'http://127.0.0.1:2/mcp']]]);
  it('fills port, config, token, every upstream and one replica; leaves other braces alone', () => {
    const text =
      '{"up": {upstreams:weather}, "one": "{upstream:weather[1]}", "p": {port}, "c": "{config}", "t": "{token}", "x": {y}}';
    expect(fillSutPlaceholders(text, { port: 9, config: '/tmp/c', token: 'tok', upstreams })).toBe(
      '{"up": ["http://127.0.0.1:1/mcp","http://127.0.0.1:2/mcp"], "one": "http://127.0.0.1:2/mcp", "p": 9, "c": "/tmp/c", "t": "tok", "x": {y}}',
    );
  });
  it('throws naming a placeholder without a value', () => {
    expect(() => fillSutPlaceholders('{upstream:weather[2]}', { token: 't', upstreams })).toThrow(
      /no such replica/,
    );
    expect(() => fillSutPlaceholders('{port}', { token: 't', upstreams })).toThrow(/\{port\} has no value/);
  });
});
