import { describe, expect, it } from 'vitest';
import { checkInvariant } from '../../../../src/chaos/invariants/index.js';
import { HistoryBuilder } from './history-builder.js';

function twoHealthy() {
  const h = new HistoryBuilder({ servers: { s: 2, other: 1 } });
  h.healthTo(0, 's[0]', 'healthy').healthTo(0, 's[1]', 'healthy').healthTo(0, 'other[0]', 'healthy');
  return h;
}

describe('no-traffic-to-unhealthy', () => {
  it('holds when traffic leaves an unhealthy endpoint', () => {
    const h = twoHealthy();
    h.steady({ fromT: 10, toT: 1000, everyMs: 10 });
    h.healthTo(1000, 's[0]', 'unhealthy');
    h.steady({ fromT: 1000, toT: 2000, everyMs: 10, endpoints: ['s[1]'] });
    expect(checkInvariant('no-traffic-to-unhealthy', {}, h.build()).held).toBe(true);
  });

  it('reports a first attempt to an unhealthy endpoint while a peer is healthy and closed', () => {
    const h = twoHealthy();
    h.healthTo(1000, 's[0]', 'unhealthy');
    const id = h.call({ t: 1200, endpoint: 's[0]' });
    const r = checkInvariant('no-traffic-to-unhealthy', {}, h.build());
    expect(r.violationCount).toBe(1);
    const v = r.violations[0]!;
    expect(v).toMatchObject({ t: 1200, endpoint: 's[0]' });
    expect(v.message).toBe(
      `first attempt of call ${id} went to s[0] (unhealthy since 1s) while s[1] was healthy and closed`,
    );
    expect(v.events.map((e) => e.type)).toEqual(['health', 'attempt-start']);
  });

  it('tolerates the same instant by default and more with grace; ignores retries', () => {
    const h = twoHealthy();
    h.healthTo(1000, 's[0]', 'unhealthy');
    h.call({ t: 1000, endpoint: 's[0]' });
    expect(checkInvariant('no-traffic-to-unhealthy', {}, h.build()).held).toBe(true);
    h.call({ t: 1050, endpoint: 's[0]' });
    expect(checkInvariant('no-traffic-to-unhealthy', {}, h.build()).violationCount).toBe(1);
    expect(checkInvariant('no-traffic-to-unhealthy', { grace: '50ms' }, h.build()).held).toBe(true);
    const g = twoHealthy();
    g.healthTo(1000, 's[0]', 'unhealthy');
    g.call({
      t: 1100,
      attempts: [
        { endpoint: 's[1]', outcome: 'connection' },
        { endpoint: 's[0]', kind: 'retry' },
      ],
    });
    expect(checkInvariant('no-traffic-to-unhealthy', {}, g.build()).held).toBe(true);
  });

  it('allows it when no peer is healthy and closed', () => {
    const h = twoHealthy();
    h.healthTo(1000, 's[0]', 'unhealthy').breakerTo(900, 's[1]', 'open');
    h.call({ t: 1200, endpoint: 's[0]' });
    h.call({ t: 1300, server: 'other', endpoint: 'other[0]' });
    expect(checkInvariant('no-traffic-to-unhealthy', {}, h.build()).held).toBe(true);
  });

  it('treats ejection like unhealthy until it ends (event or untilT)', () => {
    const h = twoHealthy();
    h.ejection(1000, 's[0]', true, 2000);
    h.call({ t: 1500, endpoint: 's[0]' });
    h.call({ t: 2100, endpoint: 's[0]' }); // after untilT: fine
    h.ejection(3000, 's[0]', true, 9000).ejection(3200, 's[0]', false);
    h.call({ t: 3300, endpoint: 's[0]' }); // after the un-eject event: fine
    const r = checkInvariant('no-traffic-to-unhealthy', {}, h.build());
    expect(r.violations.map((v) => v.t)).toEqual([1500]);
    expect(r.violations[0]!.message).toContain('ejected since 1s until 2s');
  });
});

describe('no-traffic-to-unhealthy: overlaps', () => {
  it('counts an attempt to an endpoint both unhealthy and ejected once', () => {
    const h = twoHealthy();
    h.healthTo(1000, 's[0]', 'unhealthy').ejection(1100, 's[0]', true, 5000);
    h.call({ t: 1200, endpoint: 's[0]' });
    const r = checkInvariant('no-traffic-to-unhealthy', {}, h.build());
    expect(r.violationCount).toBe(1);
    expect(r.violations[0]!.message).toContain('unhealthy since 1s');
  });

  it('does not count a peer that only just recovered (same instant) as available', () => {
    const h = twoHealthy();
    h.healthTo(500, 's[1]', 'unhealthy').healthTo(1000, 's[0]', 'unhealthy');
    h.healthTo(1200, 's[1]', 'healthy');
    h.call({ t: 1200, endpoint: 's[0]' });
    expect(checkInvariant('no-traffic-to-unhealthy', {}, h.build()).held).toBe(true);
    h.call({ t: 1201, endpoint: 's[0]' });
    expect(checkInvariant('no-traffic-to-unhealthy', {}, h.build()).violations[0]!.t).toBe(1201);
  });
});

describe('failover-within', () => {
  /** s has 3 replicas; s[0] blackholed [2000, 6000); calls every 10 ms round-robin; failing until `healedAt`. */
  function failover(healedAt: number, relapse?: [number, number]) {
    const h = new HistoryBuilder({ servers: { s: 3 }, durationMs: 8000 });
    h.fault({ name: 'bh', endpoints: ['s[0]'], startT: 2000, endT: 6000 });
    h.steady({
      fromT: 0,
      toT: 8000,
      everyMs: 10,
      outcome: (t, ep) =>
        ep === 's[0]' && ((t >= 2000 && t < healedAt) || (relapse && t >= relapse[0] && t < relapse[1]))
          ? 'timeout'
          : 'success',
    });
    return h;
  }

  it('holds when availability is back within 1 s and stays up', () => {
    const r = checkInvariant('failover-within', {}, failover(2800).build());
    expect(r.held).toBe(true);
    expect(r.params).toEqual({ withinMs: 1000, availability: 0.99, windowMs: 500, minCalls: 1 });
    expect(r.summary).toContain('1 fault checked');
  });

  it('reports a slow failover with the worst window', () => {
    const r = checkInvariant('failover-within', {}, failover(3500).build());
    expect(r.held).toBe(false);
    expect(r.violationCount).toBe(1);
    const v = r.violations[0]!;
    expect(v.t).toBe(3000); // the first checked window already fails
    expect(v.endpoint).toBe('s[0]');
    // worst window: 500 ms wholly inside the failing period: 1/3 of calls fail
    expect(v.message).toMatch(/s availability 0\.66\d\d \(3\d\/5\d\) in window \[3s, 3\.5s\) is below 0\.99/);
    expect(v.message).toContain('after fault bh started at 2s');
  });

  it('reports a relapse later in the fault as its own stretch', () => {
    const r = checkInvariant('failover-within', {}, failover(2500, [4000, 4100]).build());
    expect(r.violationCount).toBe(1);
    const v = r.violations[0]!;
    expect(v.t).toBeGreaterThanOrEqual(3500);
    expect(v.t).toBeLessThan(4100);
  });

  it('respects within, availability and minCalls params', () => {
    const h = failover(3500).build();
    expect(checkInvariant('failover-within', { within: '1600ms' }, h).held).toBe(true);
    expect(checkInvariant('failover-within', { availability: '60%' }, h).held).toBe(true);
    expect(checkInvariant('failover-within', { minCalls: 1000 }, h).held).toBe(true);
    expect(() => checkInvariant('failover-within', { availability: 2 }, h)).toThrow(RangeError);
  });

  it('is vacuous with one replica or when every replica is faulted', () => {
    const one = new HistoryBuilder({ servers: { s: 1 } });
    one.fault({ name: 'x', endpoints: ['s[0]'], startT: 1000, endT: 3000 });
    one.steady({ fromT: 0, toT: 4000, everyMs: 10, outcome: () => 'timeout' });
    const r = checkInvariant('failover-within', {}, one.build());
    expect(r.held).toBe(true);
    expect(r.summary).toContain('one replica');
    const all = new HistoryBuilder({ servers: { s: 2 } });
    all.fault({ name: 'x', endpoints: ['s[0]', 's[1]'], startT: 1000, endT: 3000 });
    all.steady({
      fromT: 0,
      toT: 4000,
      everyMs: 10,
      outcome: (t) => (t >= 1000 && t < 3000 ? 'timeout' : 'success'),
    });
    expect(checkInvariant('failover-within', {}, all.build()).held).toBe(true);
  });

  it("exempts the first `within` after another fault's start on the same server", () => {
    const h = new HistoryBuilder({ servers: { s: 3 }, durationMs: 8000 });
    h.fault({ name: 'a', endpoints: ['s[0]'], startT: 1000, endT: 7000 });
    h.fault({ name: 'b', endpoints: ['s[1]'], startT: 4000, endT: 7000 });
    h.steady({
      fromT: 0,
      toT: 8000,
      everyMs: 10,
      outcome: (t, ep) =>
        (ep === 's[0]' && t >= 1000 && t < 1500) || (ep === 's[1]' && t >= 4000 && t < 4500)
          ? 'timeout'
          : 'success',
    });
    expect(checkInvariant('failover-within', {}, h.build()).held).toBe(true);
  });
});

describe('retry-budget-respected', () => {
  it('holds while retries stay within max(minPerSecond, ratio × recent calls) + tolerance', () => {
    const h = new HistoryBuilder({ servers: { s: 2 } });
    h.steady({ fromT: 0, toT: 1000, everyMs: 10 }); // 100 calls/s → budget 20
    for (let i = 0; i < 20; i++) {
      h.call({
        t: 1000 + i,
        attempts: [
          { endpoint: 's[0]', outcome: 'timeout', latencyMs: 1 },
          { endpoint: 's[1]', kind: 'retry', latencyMs: 500 },
        ],
      });
    }
    const r = checkInvariant('retry-budget-respected', {}, h.build());
    expect(r.held).toBe(true);
    expect(r.summary).toContain('20 retries, at most 20 in flight');
  });

  it('reports the retry that went over budget', () => {
    const h = new HistoryBuilder({ servers: { s: 2 } });
    h.steady({ fromT: 0, toT: 1, everyMs: 10 }); // one call at t=0: the history covers [0, …)
    for (let i = 0; i < 6; i++) {
      h.call({
        t: 1100 + i,
        attempts: [
          { endpoint: 's[0]', outcome: 'timeout', latencyMs: 1 },
          { endpoint: 's[1]', kind: 'retry', latencyMs: 500 },
        ],
      });
    }
    // 6 calls in the last second: max(3, 1.2) = 3, + tolerance 1 → the 5th concurrent retry breaks it
    const r = checkInvariant('retry-budget-respected', {}, h.build());
    expect(r.violationCount).toBe(2);
    expect(r.violations[0]!.t).toBe(1105);
    expect(r.violations[0]!.message).toContain('5 retries in flight on s at 1.105s, budget allows 3');
    expect(checkInvariant('retry-budget-respected', { tolerance: 3 }, h.build()).held).toBe(true);
  });

  it('does not judge retries whose trailing window reaches before the first recorded call', () => {
    // The manager's budget also saw calls the history does not have (a runner's warm-up), so the first
    // window of the history cannot be judged.
    const h = new HistoryBuilder({ servers: { s: 2 } });
    for (let i = 0; i < 6; i++) {
      h.call({
        t: 100 + i,
        attempts: [
          { endpoint: 's[0]', outcome: 'timeout', latencyMs: 1 },
          { endpoint: 's[1]', kind: 'retry', latencyMs: 500 },
        ],
      });
    }
    expect(checkInvariant('retry-budget-respected', {}, h.build()).held).toBe(true);
  });
});

describe('ejection-limit-respected', () => {
  it('allows max(1, floor(n × maxPercent/100)) and reports more', () => {
    const h = new HistoryBuilder({ servers: { s: 3 } }); // 50 % of 3 → 1
    h.ejection(100, 's[0]', true, 1000);
    h.ejection(1000, 's[1]', true, 2000); // s[0] expired at 1000
    expect(checkInvariant('ejection-limit-respected', {}, h.build()).held).toBe(true);
    h.ejection(1500, 's[2]', true, 2500);
    const r = checkInvariant('ejection-limit-respected', {}, h.build());
    expect(r.violationCount).toBe(1);
    expect(r.violations[0]).toMatchObject({ t: 1500, endpoint: 's[2]' });
    expect(r.violations[0]!.message).toBe('2 of 3 endpoints of s ejected at 1.5s (s[1], s[2]); limit 1');
    expect(r.params).toEqual({ max: 1 });
    expect(checkInvariant('ejection-limit-respected', { max: 2 }, h.build()).held).toBe(true);
  });

  it('honours un-eject events', () => {
    const h = new HistoryBuilder({ servers: { s: 4 } }); // 50 % of 4 → 2
    h.ejection(100, 's[0]', true).ejection(200, 's[1]', true).ejection(300, 's[0]', false);
    h.ejection(400, 's[2]', true);
    expect(checkInvariant('ejection-limit-respected', {}, h.build()).held).toBe(true);
    h.ejection(500, 's[3]', true);
    expect(checkInvariant('ejection-limit-respected', {}, h.build()).violations[0]!.t).toBe(500);
  });
});
