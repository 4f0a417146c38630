import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import type { Rng } from '../../../../src/core/rng.js';
import { SeededRng } from '../../../../src/core/rng.js';
import {
  HealthChecker,
  HealthStateMachine,
  type HealthTransition,
  healthDetectionBoundMs,
  isLegalHealthTransition,
  type ProbeResult,
} from '../../../../src/manager/health/index.js';
import type { HealthSettings } from '../../../../src/manager/types.js';

const settings: HealthSettings = {
  probe: 'ping',
  intervalMs: 100,
  timeoutMs: 50,
  jitterMs: 0,
  unhealthyAfter: 2,
  healthyAfter: 3,
};

/** An rng whose uniform() returns a fixed fraction of the range. */
function fixedRng(fraction: number): Rng {
  const r = new SeededRng(1);
  return Object.assign(Object.create(r) as Rng, {
    uniform: (min: number, max: number) => min + fraction * (max - min),
  });
}

describe('HealthStateMachine', () => {
  function machine() {
    const clock = new FakeClock(0);
    const m = new HealthStateMachine(settings, { clock, endpoint: 'e' });
    const events: HealthTransition[] = [];
    m.onTransition((e) => events.push(e));
    return { m, events, clock };
  }

  it('unknown → healthy on the first success', () => {
    const { m, events } = machine();
    expect(m.state).toBe('unknown');
    m.record(true);
    expect(m.state).toBe('healthy');
    expect(events).toEqual([
      { endpoint: 'e', from: 'unknown', to: 'healthy', reason: 'first probe succeeded', t: 0 },
    ]);
  });

  it('unknown → unhealthy after unhealthyAfter consecutive failures', () => {
    const { m } = machine();
    m.record(false);
    expect(m.state).toBe('unknown');
    m.record(false, 'refused');
    expect(m.state).toBe('unhealthy');
  });

  it('needs consecutive failures to leave healthy and consecutive successes to come back', () => {
    const { m, events } = machine();
    m.record(true);
    m.record(false);
    m.record(true); // resets the failure run
    m.record(false);
    expect(m.state).toBe('healthy');
    m.record(false, 'timeout');
    expect(m.state).toBe('unhealthy');
    expect(events.at(-1)?.reason).toBe('2 consecutive probe failures (last: timeout)');
    m.record(true);
    m.record(true);
    m.record(false); // resets the success run
    m.record(true);
    m.record(true);
    expect(m.state).toBe('unhealthy');
    m.record(true);
    expect(m.state).toBe('healthy');
    expect(events.map((e) => e.to)).toEqual(['healthy', 'unhealthy', 'healthy']);
    for (const e of events) expect(isLegalHealthTransition(e.from, e.to)).toBe(true);
  });

  it('rejects bad thresholds', () => {
    expect(
      () =>
        new HealthStateMachine(
          { unhealthyAfter: 0, healthyAfter: 1 },
          { clock: new FakeClock(), endpoint: 'e' },
        ),
    ).toThrow(/unhealthyAfter.*0/);
  });
});

type Behaviour = 'ok' | 'fail' | 'hang';

function checker(s: Partial<HealthSettings> = {}, rng: Rng = fixedRng(0)) {
  const clock = new FakeClock(0);
  let behaviour: Behaviour = 'ok';
  const starts: number[] = [];
  const signals: AbortSignal[] = [];
  const probe = (signal: AbortSignal, timeoutMs: number) => {
    starts.push(clock.now());
    signals.push(signal);
    expect(timeoutMs).toBe(s.timeoutMs ?? settings.timeoutMs);
    if (behaviour === 'ok') return clock.sleep(10);
    if (behaviour === 'fail') return Promise.reject(new Error('refused'));
    return new Promise<void>(() => {}); // hangs, ignores its signal
  };
  const c = new HealthChecker({ ...settings, ...s }, { clock, rng, endpoint: 'e', probe });
  const results: ProbeResult[] = [];
  const transitions: HealthTransition[] = [];
  c.onProbe((r) => results.push(r));
  c.onTransition((t) => transitions.push(t));
  return {
    c,
    clock,
    starts,
    signals,
    results,
    transitions,
    set: (b: Behaviour) => {
      behaviour = b;
    },
  };
}

describe('HealthChecker', () => {
  it('probes at interval from the previous start, with jitter on the first check and each interval', async () => {
    const h = checker({ jitterMs: 20 }, fixedRng(0.5));
    await h.c.start();
    await h.clock.advanceAsync(350);
    // first after 10 (half the jitter), then every 100 + 10
    expect(h.starts).toEqual([10, 120, 230, 340]);
    expect(h.c.state).toBe('healthy');
    expect(h.results[0]).toMatchObject({ ok: true, latencyMs: 10, t: 20 });
    await h.c.close();
  });

  it('counts a timeout as a failure at once and aborts the probe', async () => {
    const h = checker();
    await h.c.start();
    await h.clock.advanceAsync(20);
    expect(h.c.state).toBe('healthy');
    h.set('hang');
    await h.clock.advanceAsync(130); // probe at 100 times out at 150
    expect(h.results.at(-1)).toMatchObject({
      ok: false,
      t: 150,
      latencyMs: 50,
      error: 'timeout after 50 ms',
    });
    expect(h.signals.at(-1)?.aborted).toBe(true);
    await h.clock.advanceAsync(100); // probe at 200 times out at 250 → unhealthy
    expect(h.transitions.at(-1)).toMatchObject({ from: 'healthy', to: 'unhealthy', t: 250 });
    expect(h.starts).toEqual([0, 100, 200]);
    await h.c.close();
  });

  it('detects a fault within unhealthyAfter × (interval + jitter) + timeout', async () => {
    const s = { jitterMs: 30 };
    const h = checker(s, fixedRng(0.999));
    await h.c.start();
    await h.clock.advanceAsync(31); // the first probe (at ≈30) is running
    h.set('hang'); // fault starts now; that probe still succeeds
    const faultT = h.clock.now();
    await h.clock.advanceAsync(1000);
    const down = h.transitions.find((t) => t.to === 'unhealthy');
    expect(down).toBeDefined();
    const bound = healthDetectionBoundMs({ ...settings, ...s });
    expect(bound).toBe(2 * 130 + 50);
    expect(down!.t - faultT).toBeLessThanOrEqual(bound);
    expect(down!.t - faultT).toBeGreaterThan(bound - 10); // worst case jitter: close to the bound
    await h.c.close();
  });

  it('never overlaps: a probe slower than the interval delays the next', async () => {
    const h = checker({ intervalMs: 100, timeoutMs: 250 });
    h.set('hang');
    await h.c.start();
    await h.clock.advanceAsync(600);
    expect(h.starts).toEqual([0, 250, 500]);
    await h.c.close();
  });

  it('uses unhealthyIntervalMs while unhealthy', async () => {
    const h = checker({ unhealthyIntervalMs: 30 });
    h.set('fail');
    await h.c.start();
    await h.clock.advanceAsync(200);
    expect(h.c.state).toBe('unhealthy');
    expect(h.starts).toEqual([0, 100, 130, 160, 190]);
    h.set('ok');
    await h.clock.advanceAsync(100); // 3 successes at 220, 250, 280 → healthy, then back to 100 ms
    expect(h.c.state).toBe('healthy');
    expect(h.starts.slice(5)).toEqual([220, 250, 280]);
    await h.clock.advanceAsync(100);
    expect(h.starts.slice(8)).toEqual([380]);
    await h.c.close();
  });

  it('a result after the timeout is ignored; close() stops everything and is idempotent', async () => {
    const clock = new FakeClock(0);
    const probe = (signal: AbortSignal) => clock.sleep(80).then(() => expect(signal.aborted).toBe(true));
    const c = new HealthChecker(settings, { clock, rng: fixedRng(0), endpoint: 'e', probe });
    const results: ProbeResult[] = [];
    c.onProbe((r) => results.push(r));
    await c.start();
    await c.start();
    await clock.advanceAsync(90);
    expect(results).toHaveLength(1);
    expect(results[0]!.ok).toBe(false);
    expect(c.probing).toBe(false);
    await clock.advanceAsync(20); // next probe at 100 is in flight
    expect(c.probing).toBe(true);
    await c.close();
    await c.close();
    expect(clock.pending()).toBe(1); // only the probe's own sleep remains
    await clock.advanceAsync(1000);
    expect(results).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });

  it("probe 'none' never probes; a synchronously throwing probe counts as a failure", async () => {
    const clock = new FakeClock(0);
    let calls = 0;
    const none = new HealthChecker(
      { ...settings, probe: 'none' },
      {
        clock,
        rng: fixedRng(0),
        endpoint: 'e',
        probe: async () => {
          calls++;
        },
      },
    );
    await none.start();
    await clock.advanceAsync(1000);
    expect(calls).toBe(0);
    expect(none.state).toBe('unknown');
    const throwing = new HealthChecker(settings, {
      clock,
      rng: fixedRng(0),
      endpoint: 'e',
      probe: () => {
        throw new Error('boom');
      },
    });
    await throwing.start();
    await clock.advanceAsync(150);
    expect(throwing.state).toBe('unhealthy');
    await throwing.close();
  });
});
