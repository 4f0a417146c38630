import { describe, expect, it } from 'vitest';
import { checkInvariant } from '../../../../src/chaos/invariants/index.js';
import { HistoryBuilder } from './history-builder.js';

const NAME = 'no-failed-idempotent-calls-while-healthy';

describe(NAME, () => {
  it('flags an idempotent call that failed while the other replica was healthy for its whole deadline', () => {
    const h = new HistoryBuilder();
    h.fault({ name: 'bh', endpoints: ['s[0]'], startT: 1000, endT: 3000 });
    h.call({ t: 500, idempotent: true });
    const bad = h.call({
      t: 1500,
      idempotent: true,
      timeoutMs: 1000,
      attempts: [{ endpoint: 's[0]', latencyMs: 1000, outcome: 'timeout' }],
    });
    h.call({
      t: 1600,
      idempotent: false,
      attempts: [{ endpoint: 's[0]', latencyMs: 1000, outcome: 'timeout' }],
    });
    h.call({
      t: 1700,
      idempotent: true,
      attempts: [{ endpoint: 's[0]', latencyMs: 3, outcome: 'tool-error' }],
    });
    const r = checkInvariant(NAME, {}, h.build());
    expect(r.held).toBe(false);
    expect(r.violationCount).toBe(1);
    expect(r.violations[0]?.message).toMatch(
      new RegExp(`idempotent call ${bad} \\(s\\) failed \\(timeout\\) .* s\\[1\\] was healthy`),
    );
    expect(r.summary).toContain('3 idempotent calls');
  });

  it('holds when every replica was faulted, open, unhealthy or ejected during the call', () => {
    for (const spoil of ['fault', 'breaker', 'health', 'ejection'] as const) {
      const h = new HistoryBuilder();
      h.fault({ name: 'bh', endpoints: ['s[0]'], startT: 1000, endT: 3000 });
      if (spoil === 'fault') h.fault({ name: 'x', endpoints: ['s[1]'], startT: 1800, endT: 1900 });
      if (spoil === 'breaker') h.breaker(1900, 's[1]', 'closed', 'open');
      if (spoil === 'health') h.health(1400, 's[1]', 'unknown', 'unhealthy');
      if (spoil === 'ejection') h.ejection(1800, 's[1]', true, 2500);
      h.call({
        t: 1500,
        idempotent: true,
        timeoutMs: 1000,
        attempts: [{ endpoint: 's[0]', latencyMs: 1000, outcome: 'timeout' }],
      });
      expect(checkInvariant(NAME, {}, h.build()).held, spoil).toBe(true);
    }
  });

  it('a breaker that opened only after the deadline does not excuse the failure', () => {
    const h = new HistoryBuilder();
    h.fault({ name: 'bh', endpoints: ['s[0]'], startT: 1000, endT: 3000 });
    h.breaker(2600, 's[1]', 'closed', 'open');
    h.call({
      t: 1500,
      idempotent: true,
      timeoutMs: 1000,
      attempts: [{ endpoint: 's[0]', latencyMs: 1000, outcome: 'timeout' }],
    });
    expect(checkInvariant(NAME, {}, h.build()).held).toBe(false);
    expect(checkInvariant(NAME, { server: 'other' }, h.build()).held).toBe(true);
    expect(() => checkInvariant(NAME, { within: '1s' }, h.build())).toThrow(/unknown param "within"/);
  });
});
