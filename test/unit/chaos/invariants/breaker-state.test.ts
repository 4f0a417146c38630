import { describe, expect, it } from 'vitest';
import { checkInvariant, isLegalBreakerTransition } from '../../../../src/chaos/invariants/index.js';
import { HistoryBuilder } from './history-builder.js';

function breakerCycle() {
  const h = new HistoryBuilder({ servers: { s: 2 } });
  h.call({ t: 0, endpoint: 's[0]', latencyMs: 50, outcome: 'timeout' });
  h.breakerTo(50, 's[0]', 'open');
  h.call({ t: 60, endpoint: 's[1]' }); // traffic goes elsewhere while open
  h.breakerTo(2050, 's[0]', 'half-open');
  h.call({ t: 2060, endpoint: 's[0]', trial: true, latencyMs: 10 });
  h.breakerTo(2070, 's[0]', 'closed');
  h.call({ t: 2080, endpoint: 's[0]' });
  return h;
}

describe('breaker-rejects-while-open', () => {
  it('holds through a full open → half-open (trial) → closed cycle', () => {
    const r = checkInvariant('breaker-rejects-while-open', {}, breakerCycle().build());
    expect(r.held).toBe(true);
    expect(r.summary).toContain('1 half-open trials');
  });

  it('catches an attempt while open, naming the endpoint, time and the transition', () => {
    const h = breakerCycle();
    const id = h.call({ t: 1000, endpoint: 's[0]' });
    const r = checkInvariant('breaker-rejects-while-open', {}, h.build());
    expect(r.held).toBe(false);
    expect(r.violationCount).toBe(1);
    const v = r.violations[0]!;
    expect(v).toMatchObject({ t: 1000, endpoint: 's[0]' });
    expect(v.message).toContain(`call ${id} reached the endpoint while its breaker was open (since 0.05s)`);
    expect(v.events.map((e) => e.type)).toEqual(['breaker', 'attempt-start']);
  });

  it('is strict by event order at the same instant unless a grace is given', () => {
    const h = new HistoryBuilder({ servers: { s: 1 } });
    h.breakerTo(100, 's[0]', 'open');
    h.call({ t: 100, endpoint: 's[0]' });
    expect(checkInvariant('breaker-rejects-while-open', {}, h.build()).violationCount).toBe(1);
    expect(checkInvariant('breaker-rejects-while-open', { grace: '1ms' }, h.build()).held).toBe(true);
  });

  it('catches a non-trial attempt while half-open and any attempt while forced-open', () => {
    const h = new HistoryBuilder({ servers: { s: 2 } });
    h.breakerTo(0, 's[0]', 'open').breakerTo(100, 's[0]', 'half-open');
    h.call({ t: 110, endpoint: 's[0]', trial: false });
    h.breakerTo(0, 's[1]', 'forced-open');
    h.call({ t: 120, endpoint: 's[1]', trial: true });
    const r = checkInvariant('breaker-rejects-while-open', {}, h.build());
    expect(r.violations.map((v) => [v.endpoint, v.t])).toEqual([
      ['s[0]', 110],
      ['s[1]', 120],
    ]);
    expect(r.violations[0]!.message).toContain('without being a trial while the breaker was half-open');
    expect(r.violations[1]!.message).toContain('forced-open');
  });

  it('treats a forced-open server as open from the start', () => {
    const h = new HistoryBuilder({ servers: { s: 1 }, settings: { breaker: { mode: 'forced-open' } } });
    h.call({ t: 5, endpoint: 's[0]' });
    expect(checkInvariant('breaker-rejects-while-open', {}, h.build()).violationCount).toBe(1);
  });
});

describe('half-open-trial-limit', () => {
  it('holds with one trial at a time', () => {
    const r = checkInvariant('half-open-trial-limit', {}, breakerCycle().build());
    expect(r.held).toBe(true);
    expect(r.params).toEqual({ max: 1 });
  });

  it('catches two concurrent trials when the limit is 1, listing both', () => {
    const h = new HistoryBuilder({ servers: { s: 1 } });
    h.breakerTo(0, 's[0]', 'open').breakerTo(100, 's[0]', 'half-open');
    const a = h.call({ t: 110, endpoint: 's[0]', trial: true, latencyMs: 50 });
    const b = h.call({ t: 120, endpoint: 's[0]', trial: true, latencyMs: 50 });
    h.call({ t: 200, endpoint: 's[0]', trial: true, latencyMs: 5 }); // after both ended: fine
    const r = checkInvariant('half-open-trial-limit', {}, h.build());
    expect(r.violationCount).toBe(1);
    const v = r.violations[0]!;
    expect(v).toMatchObject({ t: 120, endpoint: 's[0]' });
    expect(v.message).toContain('2 concurrent half-open trials on s[0] (limit 1)');
    expect(v.events.map((e) => (e.type === 'attempt-start' ? e.callId : -1))).toEqual([a, b]);
    expect(checkInvariant('half-open-trial-limit', { max: 2 }, h.build()).held).toBe(true);
  });

  it('uses the server setting and forgets trials of an earlier half-open period', () => {
    const h = new HistoryBuilder({ servers: { s: 1 }, settings: { breaker: { halfOpenTrials: 2 } } });
    h.breakerTo(0, 's[0]', 'open').breakerTo(100, 's[0]', 'half-open');
    h.call({ t: 110, endpoint: 's[0]', trial: true, latencyMs: 1000 });
    h.call({ t: 111, endpoint: 's[0]', trial: true, latencyMs: 1000 });
    h.breakerTo(150, 's[0]', 'open').breakerTo(300, 's[0]', 'half-open');
    h.call({ t: 310, endpoint: 's[0]', trial: true, latencyMs: 10 });
    h.call({ t: 311, endpoint: 's[0]', trial: true, latencyMs: 10 });
    expect(checkInvariant('half-open-trial-limit', {}, h.build()).held).toBe(true);
    h.call({ t: 312, endpoint: 's[0]', trial: true, latencyMs: 10 });
    expect(checkInvariant('half-open-trial-limit', {}, h.build()).violations[0]!.t).toBe(312);
  });
});

describe('breaker-transitions-legal', () => {
  it('knows the legal pairs', () => {
    expect(isLegalBreakerTransition('closed', 'open')).toBe(true);
    expect(isLegalBreakerTransition('open', 'half-open')).toBe(true);
    expect(isLegalBreakerTransition('half-open', 'open')).toBe(true);
    expect(isLegalBreakerTransition('half-open', 'closed')).toBe(true);
    expect(isLegalBreakerTransition('closed', 'forced-open')).toBe(true);
    expect(isLegalBreakerTransition('forced-open', 'closed')).toBe(true);
    expect(isLegalBreakerTransition('open', 'closed')).toBe(false);
    expect(isLegalBreakerTransition('closed', 'half-open')).toBe(false);
    expect(isLegalBreakerTransition('open', 'open')).toBe(false);
  });

  it('holds for a legal cycle', () => {
    expect(checkInvariant('breaker-transitions-legal', {}, breakerCycle().build()).held).toBe(true);
  });

  it('catches an illegal pair and a from that does not follow the previous to', () => {
    const h = new HistoryBuilder({ servers: { s: 1 } });
    h.breaker(10, 's[0]', 'closed', 'open');
    h.breaker(20, 's[0]', 'open', 'closed'); // illegal: skips half-open
    h.breaker(30, 's[0]', 'half-open', 'open'); // from ≠ previous to (closed)
    const r = checkInvariant('breaker-transitions-legal', {}, h.build());
    expect(r.violations.map((v) => [v.t, v.message])).toEqual([
      [20, 'illegal breaker transition open→closed on s[0]'],
      [30, 'breaker event half-open→open on s[0] does not follow the previous open→closed'],
    ]);
  });

  it('catches a first event that does not start from closed', () => {
    const h = new HistoryBuilder({ servers: { s: 1 } });
    h.breaker(10, 's[0]', 'open', 'half-open');
    expect(checkInvariant('breaker-transitions-legal', {}, h.build()).violations[0]!.message).toContain(
      'starts from open',
    );
  });
});

describe('health-transitions-legal', () => {
  it('holds for unknown → healthy → unhealthy → healthy and catches repeats and gaps', () => {
    const h = new HistoryBuilder({ servers: { s: 1 } });
    h.healthTo(0, 's[0]', 'healthy').healthTo(10, 's[0]', 'unhealthy').healthTo(20, 's[0]', 'healthy');
    expect(checkInvariant('health-transitions-legal', {}, h.build()).held).toBe(true);
    h.health(30, 's[0]', 'healthy', 'healthy');
    h.health(40, 's[0]', 'unhealthy', 'healthy');
    const r = checkInvariant('health-transitions-legal', {}, h.build());
    expect(r.violations.map((v) => v.t)).toEqual([30, 40]);
    expect(r.violations[1]!.message).toContain('does not follow healthy→healthy');
  });
});
