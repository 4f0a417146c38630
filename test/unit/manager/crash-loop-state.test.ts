/** A crash loop is a state of the endpoint (unhealthy, in the snapshot and metrics), not only a log line. */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { SeededRng } from '../../../src/core/rng.js';
import { type ManagerEvent, type ManagerOptions, McpManager } from '../../../src/manager/index.js';
import { type FakeConnection, fakeFactory } from './support/fakes.js';

const managers: McpManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.close();
});

function make(settings: ManagerOptions['settings']) {
  const clock = new FakeClock(0);
  const { factory, conns } = fakeFactory(clock);
  const m = new McpManager(
    {
      servers: [{ name: 'w', endpoints: [{ command: ['node', 'a.js'] }, { command: ['node', 'b.js'] }] }],
      settings,
      clock,
      rng: new SeededRng(5),
    },
    { createConnection: factory },
  );
  managers.push(m);
  const events: ManagerEvent[] = [];
  m.onEvent((e) => events.push(e));
  const health = () => events.flatMap((e) => (e.type === 'health' ? [`${e.endpoint}:${e.to}`] : []));
  return { clock, m, conn: (id: string) => conns.get(id) as FakeConnection, events, health };
}

const loop = {
  kind: 'crash-loop' as const,
  detail: '3 quick exits in a row',
  crashLoop: { exits: 3, restartAt: 400 },
};

describe('crash loop as endpoint state (fake clock)', () => {
  it('without probes: unhealthy while looping, calls go to the other replica, back to unknown when it ends', async () => {
    const { m, conn, health, clock } = make({ health: { probe: 'none' } });
    await Promise.all([m.start(), clock.advanceAsync(1)]);
    conn('w[0]').notify(loop);
    const snap = m.snapshot().endpoints.find((e) => e.id === 'w[0]');
    expect(snap).toMatchObject({ health: 'unhealthy', crashLoop: { since: 1, exits: 3, restartAt: 400 } });
    expect(health()).toEqual(['w[0]:unhealthy']);
    expect(await m.metricsText()).toMatch(/crash_looping\{server="w",endpoint="w\[0\]"\} 1/);
    for (let i = 0; i < 6; i++) {
      const p = m.callTool('w', 'echo', {});
      await clock.advanceAsync(10);
      await p;
    }
    expect(conn('w[0]').calls).toHaveLength(0);
    expect(conn('w[1]').calls).toHaveLength(6);
    clock.advance(1000);
    conn('w[0]').notify({ ...loop, crashLoop: { exits: 4, restartAt: 1800 } });
    expect(m.snapshot().endpoints[0]?.crashLoop).toEqual({ since: 1, exits: 4, restartAt: 1800 });
    conn('w[0]').notify({ kind: 'crash-loop-ended', detail: 'up for 60 s' });
    expect(m.snapshot().endpoints[0]).toMatchObject({ health: 'unknown' });
    expect(m.snapshot().endpoints[0]?.crashLoop).toBeUndefined();
    expect(health()).toEqual(['w[0]:unhealthy', 'w[0]:unknown']);
    expect(await m.metricsText()).toMatch(/crash_looping\{server="w",endpoint="w\[0\]"\} 0/);
  });

  it('with probes: successful probes cannot make a looping endpoint healthy; after the loop they must earn it', async () => {
    const { m, conn, health, clock } = make({
      health: {
        probe: 'ping',
        intervalMs: 100,
        timeoutMs: 50,
        jitterMs: 0,
        healthyAfter: 2,
        unhealthyAfter: 2,
      },
    });
    await Promise.all([m.start(), clock.advanceAsync(1)]);
    await clock.advanceAsync(150);
    expect(health()).toEqual(['w[0]:healthy', 'w[1]:healthy']);
    conn('w[0]').notify(loop);
    await clock.advanceAsync(1000); // ten successful probes meanwhile
    expect(m.snapshot().endpoints[0]?.health).toBe('unhealthy');
    conn('w[0]').notify({ kind: 'crash-loop-ended' });
    expect(m.snapshot().endpoints[0]?.health).toBe('unhealthy');
    await clock.advanceAsync(250);
    expect(health()).toEqual(['w[0]:healthy', 'w[1]:healthy', 'w[0]:unhealthy', 'w[0]:healthy']);
  });

  it('dropped server requests and notifications are counted per kind', async () => {
    const { m, conn, events } = make({ health: { probe: 'none' } });
    conn('w[1]').notify({
      kind: 'inbound-dropped',
      detail: 'dropped',
      dropped: { requests: 7, notifications: 0, coalesced: 40 },
    });
    conn('w[1]').notify({
      kind: 'inbound-dropped',
      dropped: { requests: 3, notifications: 2, coalesced: 0 },
    });
    const text = await m.metricsText();
    expect(text).toMatch(/inbound_dropped_total\{server="w",endpoint="w\[1\]",kind="requests"\} 10/);
    expect(text).toMatch(/inbound_dropped_total\{server="w",endpoint="w\[1\]",kind="notifications"\} 2/);
    expect(text).toMatch(/inbound_dropped_total\{server="w",endpoint="w\[1\]",kind="coalesced"\} 40/);
    expect(events.filter((e) => e.type === 'connection')[0]).toMatchObject({
      kind: 'inbound-dropped',
      dropped: { requests: 7, notifications: 0, coalesced: 40 },
    });
  });
});
