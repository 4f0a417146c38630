import { describe, expect, it } from 'vitest';
import { checkInvariant } from '../../../../src/chaos/invariants/index.js';
import { HistoryBuilder } from './history-builder.js';

const NAME = 'retry-after-honoured';

describe(NAME, () => {
  it('flags an attempt inside a Retry-After window, not one after it', () => {
    const h = new HistoryBuilder();
    h.manager({ type: 'backpressure', t: 1000, endpoint: 's[0]', untilT: 3000, status: 503 });
    h.call({ t: 2000, attempts: [{ endpoint: 's[1]' }] });
    h.call({ t: 3100, attempts: [{ endpoint: 's[0]' }] });
    expect(checkInvariant(NAME, {}, h.build()).held).toBe(true);
    const bad = h.call({ t: 2500, attempts: [{ endpoint: 's[0]' }] });
    const r = checkInvariant(NAME, {}, h.build());
    expect(r.violationCount).toBe(1);
    expect(r.violations[0]?.message).toMatch(
      new RegExp(`until 3s \\(HTTP 503 at 1s\\) but got attempt 1 of call ${bad}`),
    );
  });

  it('takes an attempt within timer granularity (1 ms) of the end as on time, not one earlier', () => {
    const h = new HistoryBuilder();
    h.manager({ type: 'backpressure', t: 1000, endpoint: 's[0]', untilT: 3031, status: 503 });
    h.call({ t: 3030.6, attempts: [{ endpoint: 's[0]' }] });
    expect(checkInvariant(NAME, {}, h.build()).held).toBe(true);
    h.call({ t: 3029.5, attempts: [{ endpoint: 's[0]' }] });
    expect(checkInvariant(NAME, {}, h.build()).violationCount).toBe(1);
  });

  it('says it judged nothing without windows; with a fault, a fault that never caused one is a violation', () => {
    const h = new HistoryBuilder();
    h.fault({
      name: 'busy',
      endpoints: ['s[0]'],
      startT: 1000,
      endT: 3000,
      kind: 'mcp',
      detail: 'mcp status 503',
    });
    const plain = checkInvariant(NAME, {}, h.build());
    expect(plain.held).toBe(true);
    expect(plain.summary).toMatch(/^nothing judged/);
    const r = checkInvariant(NAME, { fault: 'busy' }, h.build());
    expect(r.held).toBe(false);
    expect(r.violations[0]?.message).toMatch(/s\[0\] never pushed back/);
  });
});
