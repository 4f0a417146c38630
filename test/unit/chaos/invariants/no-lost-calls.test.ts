import { describe, expect, it } from 'vitest';
import { checkInvariant } from '../../../../src/chaos/invariants/index.js';
import { HistoryBuilder } from './history-builder.js';

describe('no-lost-calls', () => {
  it('holds when every call ends once before its deadline', () => {
    const h = new HistoryBuilder();
    for (let t = 0; t < 1000; t += 10) h.call({ t, latencyMs: 20 });
    h.call({ t: 2000, outcome: 'timeout', latencyMs: 1000, timeoutMs: 1000 });
    const r = checkInvariant('no-lost-calls', {}, h.build());
    expect(r.held).toBe(true);
    expect(r.violationCount).toBe(0);
    expect(r.params).toEqual({ slackMs: 250 });
    expect(r.summary).toContain('101 calls');
  });

  it('reports a call that never ended, with its start event', () => {
    const h = new HistoryBuilder();
    h.call({ t: 0 });
    const lost = h.call({ t: 500, end: false });
    const r = checkInvariant('no-lost-calls', {}, h.build());
    expect(r.held).toBe(false);
    expect(r.violationCount).toBe(1);
    const v = r.violations[0]!;
    expect(v.t).toBe(500);
    expect(v.message).toContain(`call ${lost}`);
    expect(v.message).toContain('never ended');
    expect(v.events.map((e) => e.type)).toEqual(['call-start']);
  });

  it('reports a late end beyond deadline + slack, tolerating one within slack', () => {
    const h = new HistoryBuilder({ origin: 1_700_000_000_000 }); // absolute deadlines, as the recorder leaves them
    h.call({ t: 0, timeoutMs: 1000, end: 1200 }); // 200 ms late: within the default 250 ms slack
    const late = h.call({ t: 100, timeoutMs: 1000, end: 1400 }); // 300 ms late
    const r = checkInvariant('no-lost-calls', {}, h.build());
    expect(r.violationCount).toBe(1);
    expect(r.violations[0]!.message).toMatch(new RegExp(`call ${late} .*300ms after its deadline 1.1s`));
    expect(r.violations[0]!.t).toBe(1400);
    expect(checkInvariant('no-lost-calls', { slack: '500ms' }, h.build()).held).toBe(true);
    expect(checkInvariant('no-lost-calls', { slack: 100 }, h.build()).violationCount).toBe(2);
  });

  it('reports double ends, ends without start and double starts', () => {
    const h = new HistoryBuilder();
    const id = h.call({ t: 0 });
    h.manager({
      type: 'call-end',
      t: 50,
      callId: id,
      server: 's',
      outcome: 'timeout',
      latencyMs: 50,
      attempts: 1,
    });
    h.manager({
      type: 'call-end',
      t: 60,
      callId: 77,
      server: 's',
      outcome: 'success',
      latencyMs: 1,
      attempts: 1,
    });
    h.manager({
      type: 'call-start',
      t: 70,
      callId: id,
      server: 's',
      tool: 'x',
      idempotent: false,
      deadline: 1070,
    });
    const r = checkInvariant('no-lost-calls', {}, h.build());
    expect(r.violationCount).toBe(3);
    const msgs = r.violations.map((v) => v.message);
    expect(msgs[0]).toContain(`call ${id} ended twice: success at 0.005s, then timeout at 0.05s`);
    expect(msgs[1]).toContain('call-end for call 77');
    expect(msgs[2]).toContain(`call ${id} started twice`);
    expect(r.violations[0]!.events).toHaveLength(2);
  });

  it('keeps at most 20 violations but counts them all', () => {
    const h = new HistoryBuilder();
    for (let i = 0; i < 50; i++) h.call({ t: i, end: false });
    const r = checkInvariant('no-lost-calls', {}, h.build());
    expect(r.violationCount).toBe(50);
    expect(r.violations).toHaveLength(20);
  });

  it('rejects bad params', () => {
    const h = new HistoryBuilder().build();
    expect(() => checkInvariant('no-lost-calls', { slack: 'soon' }, h)).toThrow(/slack.*"soon"/);
    expect(() => checkInvariant('no-lost-calls', { slak: '1s' }, h)).toThrow(
      /unknown param "slak" \(did you mean "slack"\?\)/,
    );
    expect(() => checkInvariant('no-lost-call', {}, h)).toThrow(/unknown invariant "no-lost-call"/);
  });
});
