import { describe, expect, it } from 'vitest';
import { checkInvariant } from '../../../../src/chaos/invariants/index.js';
import { HistoryBuilder } from './history-builder.js';

/** s[0] blackholed at 1000 for 3 s; calls to it time out after 200 ms; its breaker opens at `openAt`. */
function blackhole(openAt: number | undefined, closeAt?: number) {
  const h = new HistoryBuilder({ servers: { s: 2 }, settings: { callTimeoutMs: 200 } });
  h.fault({ name: 'bh', endpoints: ['s[0]'], startT: 1000, endT: 4000 });
  for (let t = 0; t < 1000; t += 50) h.call({ t, endpoint: 's[0]' });
  const stop = openAt ?? 4000;
  for (let t = 1000; t < stop; t += 50) h.call({ t, endpoint: 's[0]', latencyMs: 200, outcome: 'timeout' });
  if (openAt !== undefined) h.breakerTo(openAt, 's[0]', 'open');
  if (closeAt !== undefined) {
    h.breakerTo(closeAt - 10, 's[0]', 'half-open');
    h.call({ t: closeAt - 8, endpoint: 's[0]', trial: true, latencyMs: 8 });
    h.breakerTo(closeAt, 's[0]', 'closed');
  }
  return h;
}

describe('breaker-opens-within', () => {
  it('holds when the breaker opens inside the bound (default callTimeout + 1 s)', () => {
    const r = checkInvariant('breaker-opens-within', {}, blackhole(1400).build());
    expect(r.held).toBe(true);
    expect(r.params).toEqual({ withinMs: 1200 });
    expect(
      checkInvariant('breaker-opens-within', { fault: 'bh', within: '500ms' }, blackhole(1400).build()).held,
    ).toBe(true);
  });

  it('reports a late opening with the endpoint, the deadline and the counted failures', () => {
    const r = checkInvariant(
      'breaker-opens-within',
      { fault: 'bh', within: '300ms' },
      blackhole(1600).build(),
    );
    expect(r.held).toBe(false);
    const v = r.violations[0]!;
    expect(v).toMatchObject({ endpoint: 's[0]', t: 1300 });
    expect(v.message).toContain('did not open within 300ms after fault bh');
    expect(v.message).toContain('counted failure');
    expect(v.message).toContain('it opened at 1.6s (600ms');
    expect(v.events[0]).toMatchObject({ type: 'fault', action: 'inject' });
  });

  it('reports a breaker that never opens', () => {
    const r = checkInvariant('breaker-opens-within', {}, blackhole(undefined).build());
    expect(r.violations[0]!.message).toContain('it never opened');
  });

  it('checks the number of calls that reached the endpoint before it opened', () => {
    // attempts at 1000, 1050, …, 1350 → 8 attempts before it opens at 1400
    expect(checkInvariant('breaker-opens-within', { calls: 8 }, blackhole(1400).build()).held).toBe(true);
    const r = checkInvariant('breaker-opens-within', { calls: 5 }, blackhole(1400).build());
    expect(r.violations[0]!.message).toContain('after 8 attempts');
  });

  it('is vacuous when traffic saw no counted failures (e.g. small latency)', () => {
    const h = new HistoryBuilder({ servers: { s: 2 } });
    h.fault({ name: 'slow', endpoints: ['s[0]'], startT: 1000, endT: 3000, detail: 'latency latency=20' });
    for (let t = 0; t < 4000; t += 50) h.call({ t, endpoint: 's[0]', latencyMs: 25 });
    const r = checkInvariant('breaker-opens-within', {}, h.build());
    expect(r.held).toBe(true);
    expect(r.summary).toContain('1 vacuous');
  });

  it('is a violation when no traffic reached a healthy endpoint, vacuous when it was unhealthy', () => {
    const h = new HistoryBuilder({ servers: { s: 2 } });
    h.fault({ name: 'f', endpoints: ['s[0]'], startT: 1000, endT: 3000 });
    h.steady({ fromT: 0, toT: 4000, everyMs: 50, endpoints: ['s[1]'] });
    const r = checkInvariant('breaker-opens-within', {}, h.build());
    expect(r.violations[0]!.message).toContain('no traffic reached s[0]');
    h.healthTo(0, 's[0]', 'healthy').healthTo(1500, 's[0]', 'unhealthy');
    expect(checkInvariant('breaker-opens-within', {}, h.build()).held).toBe(true);
  });

  it('holds when the breaker was already open at the start, and names an unknown fault', () => {
    const h = blackhole(undefined);
    h.breakerTo(900, 's[0]', 'open');
    expect(checkInvariant('breaker-opens-within', {}, h.build()).summary).toContain('1 already open');
    const r = checkInvariant('breaker-opens-within', { fault: 'nope' }, h.build());
    expect(r.violations[0]!.message).toBe('no fault named "nope" in this run (faults: bh)');
  });

  it('skips a disabled breaker', () => {
    const h = blackhole(undefined);
    h.settings('s', { breaker: { mode: 'disabled' } });
    expect(checkInvariant('breaker-opens-within', {}, h.build()).held).toBe(true);
  });
});

describe('breaker-recovers-within', () => {
  it('holds when the breaker closes within openFor + 2 s of the fault end', () => {
    const r = checkInvariant('breaker-recovers-within', {}, blackhole(1400, 6000).build());
    expect(r.held).toBe(true);
    expect(r.params).toEqual({ withinMs: 4000 });
  });

  it('reports a breaker still open after the bound', () => {
    const h = blackhole(1400, 9000);
    const r = checkInvariant('breaker-recovers-within', { within: '2s' }, h.build());
    expect(r.held).toBe(false);
    const v = r.violations[0]!;
    expect(v).toMatchObject({ endpoint: 's[0]', t: 6000 });
    expect(v.message).toContain('was still open 2000ms after fault bh');
    expect(v.message).toContain('closed at 9s');
  });

  it('cannot judge a deadline past the end of the load, even when the history goes on (no call to close it)', () => {
    // the history (drain, steady state after) runs to 12 s; the load ended at 10 s; the fault ended at 9 s
    const h = new HistoryBuilder({ servers: { s: 2 }, durationMs: 10_000 });
    h.fault({ name: 'late', endpoints: ['s[0]'], startT: 1000, endT: 9000 });
    h.breakerTo(1500, 's[0]', 'open');
    h.breakerTo(9500, 's[0]', 'half-open');
    h.call({ t: 12_000, endpoint: 's[1]' });
    const r = checkInvariant('breaker-recovers-within', { within: '2s', allowVacuous: true }, h.build());
    expect(r.held).toBe(true);
    expect(r.summary).toMatch(/1 inconclusive/);
    expect(checkInvariant('breaker-recovers-within', { within: '2s' }, h.build()).summary).toMatch(
      /none judged \(the deadline is past the end of the load/,
    );
    // within the load, the same breaker still open is a violation
    expect(checkInvariant('breaker-recovers-within', { within: '500ms' }, h.build()).held).toBe(false);
  });

  it('cannot judge when the history ends before the deadline or the fault never ends: vacuous, naming why', () => {
    const h = blackhole(1400); // never closes; history ends at 10 s
    const late = checkInvariant('breaker-recovers-within', { within: '20s' }, h.build());
    expect(late.held).toBe(false);
    expect(late.summary).toMatch(
      /^vacuous: 1 case\(s\), none judged \(the deadline is past the end of the load \(a breaker closes on a call\)\)/,
    );
    expect(
      checkInvariant('breaker-recovers-within', { within: '20s', allowVacuous: true }, h.build()).held,
    ).toBe(true);
    expect(checkInvariant('breaker-recovers-within', { within: '2s' }, h.build()).held).toBe(false);
    const g = new HistoryBuilder({ servers: { s: 2 } });
    g.fault({ name: 'forever', endpoints: ['s[0]'], startT: 1000 });
    g.breakerTo(1500, 's[0]', 'open');
    const forever = checkInvariant('breaker-recovers-within', {}, g.build());
    expect(forever.summary).toMatch(/the fault lasts to the end of load/);
    expect(checkInvariant('breaker-recovers-within', { allowVacuous: true }, g.build()).held).toBe(true);
  });

  it('a breaker that never opened during the fault is not judged (nothing to recover from)', () => {
    const g = new HistoryBuilder({ servers: { s: 2 } });
    g.fault({ name: 'mild', endpoints: ['s[0]'], startT: 1000, endT: 2000 });
    const r = checkInvariant('breaker-recovers-within', {}, g.build());
    expect(r.held).toBe(false);
    expect(r.summary).toMatch(/vacuous: .*the breaker of s\[0\] never opened during it/);
  });

  it('uses the backoff cap for the default bound', () => {
    const h = blackhole(1400, 9000);
    h.settings('s', { breaker: { backoff: { multiplier: 2, maxMs: 8000 } } });
    const r = checkInvariant('breaker-recovers-within', {}, h.build());
    expect(r.params).toEqual({ withinMs: 10_000 });
    expect(r.held).toBe(true);
  });
});
