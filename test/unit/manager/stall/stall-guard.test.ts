import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { SeededRng } from '../../../../src/core/rng.js';
import { HealthChecker, type ProbeExcused, type ProbeResult } from '../../../../src/manager/health/index.js';
import { type ManagerEvent, McpManager } from '../../../../src/manager/index.js';
import { StallGuard } from '../../../../src/manager/stall/index.js';
import type { HealthSettings } from '../../../../src/manager/types.js';
import { fakeFactory, settle } from '../support/fakes.js';

describe('StallGuard', () => {
  it('excuses a timeout only when at least max(floor, share × timeout) of its span was lost to stalls', () => {
    const clock = new FakeClock(0);
    const g = new StallGuard(clock, { floorMs: 50, share: 0.2 });
    expect(g.boundMs(100)).toBe(50);
    expect(g.boundMs(1000)).toBe(200);
    // the timer of a 1 s timeout due at 1000 fired at 1150: a 150 ms stall is not enough
    expect(g.excuse('a', 0, 1150, 1000, 1000)).toBeUndefined();
    // due at 1000, fired at 1300: 300 ms late
    expect(g.excuse('a', 0, 1300, 1000, 1000)).toBe(300);
    // a 250 ms probe timeout over [1100, 1350] lost 200 ms of it to that stall
    expect(g.excuse('b', 1100, 1350, 250)).toBe(200);
    // one that did not overlap it counts
    expect(g.excuse('b', 1400, 1650, 250)).toBeUndefined();
  });

  it('excuses at most maxExcuses bursts per endpoint; an answer makes them available again', () => {
    const clock = new FakeClock(0);
    const g = new StallGuard(clock, { maxExcuses: 2 });
    const late = (t: number) => g.excuse('a', t - 300, t, 250, t - 100);
    expect(late(1000)).toBe(100);
    expect(late(2000)).toBe(100);
    expect(late(3000)).toBeUndefined(); // a third in a row counts…
    expect(late(4000)).toBeUndefined(); // …and so does every one after, until the endpoint answers
    g.counted('a');
    expect(late(5000)).toBe(100);
    expect(late(6000)).toBe(100);
    expect(late(7000)).toBeUndefined();
  });

  it('rejects bad settings', () => {
    const clock = new FakeClock(0);
    expect(() => new StallGuard(clock, { share: 2 })).toThrow(/share/);
    expect(() => new StallGuard(clock, { maxExcuses: 1.5 })).toThrow(/maxExcuses/);
  });
});

const health: HealthSettings = {
  probe: 'ping',
  intervalMs: 100,
  timeoutMs: 50,
  jitterMs: 0,
  unhealthyAfter: 1,
  healthyAfter: 1,
};

/**
 * A checker whose probes answer only when the test says so: an answer is I/O, which a blocked loop
 * handles after its overdue timers (the timeout fires first), as libuv does.
 */
function checker(withGuard: boolean) {
  const clock = new FakeClock(0);
  const guard = new StallGuard(clock, { floorMs: 20 });
  const starts: number[] = [];
  const answers: Array<() => void> = [];
  const c = new HealthChecker(health, {
    clock,
    rng: new SeededRng(1),
    endpoint: 'e',
    probe: () => {
      starts.push(clock.now());
      return new Promise<void>((resolve) => answers.push(resolve));
    },
    ...(withGuard ? { stall: guard } : {}),
  });
  const results: ProbeResult[] = [];
  const excused: ProbeExcused[] = [];
  c.onProbe((r) => results.push(r));
  c.onExcused((x) => excused.push(x));
  guard.start();
  const answer = async () => {
    for (const a of answers.splice(0)) a();
    await clock.advanceAsync(0);
  };
  return { c, clock, guard, starts, results, excused, answer };
}

describe('HealthChecker with a stall guard', () => {
  it('runs a probe again instead of counting a timeout that a local stall caused', async () => {
    const h = checker(true);
    await h.c.start();
    await h.clock.advanceAsync(5); // the first probe started at 0; its answer is on the way…
    h.clock.stall(115); // …but the loop is blocked until 120: its timeout timer (due 50) fires 70 ms late
    await h.clock.advanceAsync(0);
    // the monitor's own tick, due at 25, fired at 120: a 95 ms stall inside the probe's [0, 120]
    expect(h.excused).toEqual([{ endpoint: 'e', t: 120, stallMs: 95, timeoutMs: 50 }]);
    expect(h.results).toEqual([]);
    expect(h.starts).toEqual([0, 120]); // run again at once
    await h.answer(); // both answers are read now: the first one's is too late and ignored
    expect(h.results).toMatchObject([{ ok: true, t: 120 }]);
    expect(h.c.state).toBe('healthy');
    await h.c.close();
    h.guard.close();
  });

  it('without the guard the same stall marks the endpoint unhealthy', async () => {
    const h = checker(false);
    await h.c.start();
    await h.clock.advanceAsync(5);
    h.clock.stall(115);
    await h.clock.advanceAsync(0);
    await h.answer();
    expect(h.results[0]).toMatchObject({ ok: false, error: 'timeout after 50 ms', t: 120 });
    expect(h.excused).toEqual([]);
    await h.c.close();
    h.guard.close();
  });

  it('counts a probe that times out with no stall, and the next after maxExcuses stalls in a row', async () => {
    const h = checker(true);
    await h.c.start();
    await h.clock.advanceAsync(60); // the endpoint does not answer; the loop runs freely
    expect(h.excused).toEqual([]);
    expect(h.results).toMatchObject([{ ok: false }]);
    await h.clock.advanceAsync(40); // the next probe starts at 100
    for (let i = 0; i < 4; i++) {
      h.clock.stall(200); // every one meets a stall
      await h.clock.advanceAsync(0);
    }
    expect(h.excused).toHaveLength(3); // maxExcuses
    expect(h.results).toHaveLength(2);
    await h.c.close();
    h.guard.close();
  });
});

const managers: McpManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.close();
});

function manager(stallGuard: boolean) {
  const clock = new FakeClock(1000);
  const { factory, conns } = fakeFactory(clock);
  const m = new McpManager(
    {
      servers: [
        {
          name: 's',
          endpoints: [{ url: 'http://127.0.0.1:9000/mcp' }, { url: 'http://127.0.0.1:9001/mcp' }],
        },
      ],
      settings: {
        health: { probe: 'none' },
        balancer: 'round-robin',
        callTimeoutMs: 200,
        breaker: { trip: { policy: 'consecutive', failures: 1 } },
      },
      clock,
      rng: new SeededRng(7),
      stallGuard: stallGuard ? { floorMs: 20 } : false,
    },
    { createConnection: factory },
  );
  managers.push(m);
  const events: ManagerEvent[] = [];
  m.onEvent((e) => events.push(e));
  return { clock, m, conns, events };
}

async function started(m: McpManager, clock: FakeClock): Promise<void> {
  const s = settle(m.start());
  while (s.current === undefined) await clock.advanceAsync(1);
}

describe('the call pipeline with a stall guard', () => {
  it('a burst of timeouts on every endpoint during a local stall opens no breaker', async () => {
    const { clock, m, events } = manager(true);
    await started(m, clock);
    const calls = [0, 1, 2, 3].map(() => settle(m.callTool('s', 'echo', {}, { idempotent: false })));
    clock.stall(400); // the answers (5 ms) wait unread; every deadline (200 ms) fires 200 ms late
    await clock.advanceAsync(0);
    expect(calls.map((c) => c.current?.ok)).toEqual([false, false, false, false]);
    expect(events.filter((e) => e.type === 'breaker')).toEqual([]);
    const stalls = events.filter((e) => e.type === 'stall');
    expect(stalls).toHaveLength(4);
    expect(stalls[0]).toMatchObject({ what: 'attempt', timeoutMs: 200 });
    expect((stalls[0] as { stallMs: number }).stallMs).toBeGreaterThanOrEqual(200);
    expect(m.snapshot().endpoints.map((e) => e.breaker)).toEqual(['closed', 'closed']);
    expect(await m.metricsText()).toMatch(/mcp_manager_stall_excused_total\{[^}]*what="attempt"\} 2/);
  });

  it('without the guard the same stall opens every breaker', async () => {
    const { clock, m, events } = manager(false);
    await started(m, clock);
    for (let i = 0; i < 2; i++) settle(m.callTool('s', 'echo', {}, { idempotent: false }));
    clock.stall(400);
    await clock.advanceAsync(0);
    expect(events.filter((e) => e.type === 'stall')).toEqual([]);
    expect(m.snapshot().endpoints.map((e) => e.breaker)).toEqual(['open', 'open']);
  });

  it('a timeout with no stall still counts', async () => {
    const { clock, m, conns } = manager(true);
    await started(m, clock);
    for (const c of conns.values()) c.script = () => ({ hang: true });
    settle(m.callTool('s', 'echo', {}, { idempotent: false }));
    await clock.advanceAsync(250);
    expect(m.snapshot().endpoints.map((e) => e.breaker)).toContain('open');
  });
});
