/**
 * The live fleet on a fake clock with fake connections: a new endpoint takes no call before its first
 * good probe, then ramps up over slowStartMs; a draining endpoint takes no new call (not even in panic
 * mode), its call in flight finishes, then it is removed; the drain deadline cuts a call that runs on;
 * replace keeps the old endpoint when the new one is never admitted; every step is a fleet event.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { SeededRng } from '../../../../src/core/rng.js';
import { type ManagerEvent, McpManager } from '../../../../src/manager/index.js';
import { type FakeConnection, fakeFactory, settle } from '../support/fakes.js';

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

async function advance(clock: FakeClock, ms: number, step = 5) {
  for (let t = 0; t < ms; t += step) {
    clock.advance(Math.min(step, ms - t));
    await flush();
  }
}

/** start() on a fake clock: its connects and first listing run on timers. */
async function start(t: { m: McpManager; clock: FakeClock }) {
  const started = t.m.start();
  await advance(t.clock, 20);
  await started;
}

function setup(settings: Record<string, unknown> = {}) {
  const clock = new FakeClock(0);
  const { factory, conns } = fakeFactory(clock);
  const m = new McpManager(
    {
      servers: [{ name: 's', endpoints: [{ url: 'http://127.0.0.1:9000/mcp' }] }],
      settings: {
        callTimeoutMs: 5000,
        health: {
          probe: 'ping',
          intervalMs: 100,
          timeoutMs: 50,
          jitterMs: 0,
          healthyAfter: 1,
          unhealthyAfter: 1,
        },
        retry: { attempts: 1 },
        balancer: 'round-robin',
        ...settings,
      },
      clock,
      rng: new SeededRng(1),
    },
    { createConnection: factory },
  );
  const events: ManagerEvent[] = [];
  m.onEvent((e) => events.push(e));
  const fleetEvents = () => events.flatMap((e) => (e.type === 'fleet' ? [`${e.endpoint} ${e.action}`] : []));
  const servedBy = () => events.flatMap((e) => (e.type === 'attempt-start' ? [e.endpoint] : [])) as string[];
  return { clock, conns, m, events, fleetEvents, servedBy };
}

describe('live fleet', () => {
  it('a new endpoint serves only after its first good probe; it is in the registry and snapshot at once', async () => {
    const t = setup();
    await start(t);
    const added = settle(t.m.addEndpoint('s', { url: 'http://127.0.0.1:9001/mcp' }));
    await flush();
    expect(t.m.registry.endpoints('s').map((e) => e.id)).toEqual(['s[0]', 's[1]']);
    expect(t.m.snapshot().endpoints[1]).toMatchObject({ id: 's[1]', fleet: 'joining' });
    // calls meanwhile all go to s[0]
    for (let i = 0; i < 4; i++) void t.m.callTool('s', 'echo', {}).catch(() => {});
    await flush();
    expect(new Set(t.servedBy())).toEqual(new Set(['s[0]']));
    await advance(t.clock, 20);
    expect(added.current).toEqual({ ok: true, value: 's[1]' });
    expect(t.fleetEvents()).toEqual(['s[1] added', 's[1] admitted']);
    expect(t.m.snapshot().endpoints[1]?.fleet).toBeUndefined();
    for (let i = 0; i < 4; i++) void t.m.callTool('s', 'echo', {}).catch(() => {});
    await flush();
    expect(t.servedBy().slice(4).sort()).toEqual(['s[0]', 's[0]', 's[1]', 's[1]']);
    await t.m.close();
  });

  it('slow start: the new endpoint takes a growing share of the picks over slowStartMs', async () => {
    const t = setup({ fleet: { slowStartMs: 1000 }, balancer: 'round-robin' });
    await start(t);
    const added = settle(t.m.addEndpoint('s', { url: 'http://127.0.0.1:9001/mcp' }));
    await advance(t.clock, 20);
    expect(added.current?.ok).toBe(true);
    const share = async () => {
      const before = t.servedBy().length;
      for (let i = 0; i < 100; i++) void t.m.callTool('s', 'echo', {}).catch(() => {});
      await advance(t.clock, 10);
      const served = t.servedBy().slice(before);
      return served.filter((e) => e === 's[1]').length / served.length;
    };
    const early = await share();
    expect(t.m.snapshot().endpoints[1]?.ramp).toBeGreaterThan(0);
    await advance(t.clock, 500);
    const middle = await share();
    await advance(t.clock, 600);
    const late = await share();
    expect(early).toBeLessThan(0.15);
    expect(middle).toBeGreaterThan(early);
    expect(middle).toBeLessThan(late);
    expect(late).toBeCloseTo(0.5, 1);
    expect(t.m.snapshot().endpoints[1]?.ramp).toBeUndefined();
    await t.m.close();
  });

  it('remove drains: no new calls, the call in flight finishes, then the endpoint leaves', async () => {
    const t = setup();
    const two = new McpManager(
      {
        servers: [{ name: 's', endpoints: [{ url: 'http://a/mcp' }, { url: 'http://b/mcp' }] }],
        settings: {
          callTimeoutMs: 5000,
          health: { probe: 'none' },
          retry: { attempts: 1 },
          balancer: 'round-robin',
        },
        clock: t.clock,
        rng: new SeededRng(1),
      },
      { createConnection: fakeFactory(t.clock).factory },
    );
    const events: ManagerEvent[] = [];
    two.onEvent((e) => events.push(e));
    const conns = (two as unknown as { fleet: { endpoints: Map<string, { connection: FakeConnection }> } })
      .fleet.endpoints;
    const slow = conns.get('s[0]')?.connection as FakeConnection;
    slow.script = () => ({ ok: true, afterMs: 300 });
    const inFlight = settle(two.callTool('s', 'echo', {}));
    await flush();
    expect(slow.inFlight).toBe(1);
    const removed = settle(two.removeEndpoint('s[0]', { drainMs: 1000 }));
    await flush();
    expect(two.snapshot().endpoints[0]?.fleet).toBe('draining');
    for (let i = 0; i < 6; i++) void two.callTool('s', 'echo', {}).catch(() => {});
    await flush();
    expect(slow.calls).toHaveLength(1); // nothing new went to the draining one
    await advance(t.clock, 310);
    expect(inFlight.current?.ok).toBe(true);
    expect(removed.current?.ok).toBe(true);
    expect(slow.closed).toBe(true);
    expect(two.registry.endpoints('s').map((e) => e.id)).toEqual(['s[1]']);
    expect(events.flatMap((e) => (e.type === 'fleet' ? [e.action] : []))).toEqual(['draining', 'removed']);
    const removedEvent = events.find((e) => e.type === 'fleet' && e.action === 'removed');
    expect(removedEvent).toMatchObject({ detail: 'drained' });
    await two.close();
    await t.m.close();
  });

  it('the drain deadline cuts a call that runs on; a draining endpoint is not used even in panic mode', async () => {
    const t = setup({ health: { probe: 'none' } });
    await start(t);
    const c0 = t.conns.get('s[0]') as FakeConnection;
    c0.script = () => ({ hang: true });
    const running = settle(t.m.callTool('s', 'echo', {}));
    await flush();
    const removed = settle(t.m.removeEndpoint('s[0]', { drainMs: 200 }));
    await flush();
    // the only endpoint drains: a new call finds no endpoint rather than panicking onto it
    await expect(t.m.callTool('s', 'echo', {})).rejects.toMatchObject({ code: 'NO_ENDPOINT' });
    await advance(t.clock, 210);
    expect(removed.current?.ok).toBe(true);
    expect(running.current?.ok).toBe(false);
    expect(t.events.find((e) => e.type === 'fleet' && e.action === 'removed')).toMatchObject({
      detail: 'drain deadline: 1 calls still in flight',
    });
    await t.m.close();
    expect(t.clock.pending()).toBe(0);
  });

  it('replace: a new endpoint never admitted is removed again and the old one keeps serving', async () => {
    const t = setup({ fleet: { admitTimeoutMs: 300 } });
    await start(t);
    await advance(t.clock, 10);
    const replaced = settle(t.m.replaceEndpoint('s[0]', { url: 'http://127.0.0.1:9009/mcp' }));
    await flush();
    const fresh = t.conns.get('s[1]') as FakeConnection;
    fresh.pingScript = () => ({ fail: 'connection' });
    await advance(t.clock, 320);
    expect(replaced.current?.ok).toBe(false);
    expect((replaced.current as { error: { code: string } }).error.code).toBe('ENDPOINT_NOT_ADMITTED');
    expect(t.fleetEvents()).toEqual(['s[1] added', 's[1] removed']);
    expect(fresh.closed).toBe(true);
    expect(t.m.registry.endpoints('s').map((e) => e.id)).toEqual(['s[0]']);
    const after = settle(t.m.callTool('s', 'echo', {}));
    await advance(t.clock, 10);
    expect(after.current?.ok).toBe(true);
    await t.m.close();
  });

  it('replace: once the new endpoint serves, the old one drains and leaves; ids are never reused', async () => {
    const t = setup();
    await start(t);
    const replaced = settle(t.m.replaceEndpoint('s[0]', { url: 'http://127.0.0.1:9001/mcp' }));
    await advance(t.clock, 30);
    expect(replaced.current).toEqual({ ok: true, value: 's[1]' });
    expect(t.fleetEvents()).toEqual(['s[1] added', 's[1] admitted', 's[0] draining', 's[0] removed']);
    const text = await t.m.metricsText();
    expect(text).toContain('mcp_manager_fleet_changes_total{server="s",action="removed"} 1');
    expect(text).toContain('mcp_manager_fleet_state{server="s",endpoint="s[1]",state="serving"} 1');
    expect(text).not.toMatch(/mcp_manager_in_flight\{server="s",endpoint="s\[0\]"\}/); // gone, no stale series
    const again = settle(t.m.addEndpoint('s', { url: 'http://127.0.0.1:9002/mcp' }));
    await advance(t.clock, 30);
    expect(again.current).toEqual({ ok: true, value: 's[2]' });
    await expect(t.m.removeEndpoint('s[0]')).rejects.toMatchObject({ code: 'UNKNOWN_ENDPOINT' });
    await expect(t.m.addEndpoint('nope', { url: 'http://x/mcp' })).rejects.toMatchObject({
      code: 'UNKNOWN_SERVER',
    });
    await expect(t.m.addEndpoint('s', { url: 'not a url' })).rejects.toThrow(/invalid url "not a url"/);
    await t.m.close();
    expect(t.clock.pending()).toBe(0);
  });
});
