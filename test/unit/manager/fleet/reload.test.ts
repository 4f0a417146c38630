/**
 * reload() diffs on a fake clock with fake connections: unchanged endpoints keep their connection and
 * breaker; added ones join and are admitted; removed ones drain; server-level settings are swapped in
 * place; endpoint-level settings replace every endpoint (new before old); new and gone servers; a config
 * with problems is rejected whole, naming each, and nothing changes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { SeededRng } from '../../../../src/core/rng.js';
import { type ManagerEvent, type ManagerOptions, McpManager } from '../../../../src/manager/index.js';
import { fakeFactory, settle } from '../support/fakes.js';

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};
async function advance(clock: FakeClock, ms: number) {
  for (let t = 0; t < ms; t += 5) {
    clock.advance(5);
    await flush();
  }
}

const HEALTH = {
  probe: 'ping',
  intervalMs: 50,
  timeoutMs: 20,
  jitterMs: 0,
  healthyAfter: 1,
  unhealthyAfter: 1,
} as const;
const A = { url: 'http://a/mcp' };
const B = { url: 'http://b/mcp' };
const C = { url: 'http://c/mcp' };

function config(
  servers: ManagerOptions['servers'],
  settings: ManagerOptions['settings'] = {},
): ManagerOptions {
  return { servers, settings: { health: HEALTH, ...settings } };
}

async function setup(initial: ManagerOptions) {
  const clock = new FakeClock(0);
  const { factory, conns } = fakeFactory(clock);
  const m = new McpManager({ ...initial, clock, rng: new SeededRng(3) }, { createConnection: factory });
  const events: ManagerEvent[] = [];
  m.onEvent((e) => events.push(e));
  const started = m.start();
  await advance(clock, 20);
  await started;
  const reload = async (next: ManagerOptions, ms = 100) => {
    const r = settle(m.reload(next));
    await advance(clock, ms);
    if (r.current === undefined) throw new Error('reload still running');
    if (!r.current.ok) throw r.current.error;
    return r.current.value;
  };
  const ids = (server = 's') => m.registry.endpoints(server).map((e) => e.id);
  return { clock, conns, m, events, reload, ids };
}

describe('reload', () => {
  it('adds and removes endpoints; the unchanged one keeps its connection and breaker', async () => {
    const t = await setup(config([{ name: 's', endpoints: [A, B] }]));
    const keptConn = t.conns.get('s[0]');
    const breakerBefore = t.m.snapshot().endpoints[0]?.breaker;
    const r = await t.reload(config([{ name: 's', endpoints: [A, C] }]));
    expect(r).toEqual({ added: ['s[2]'], removed: ['s[1]'], updated: [], failed: [] });
    expect(t.ids()).toEqual(['s[0]', 's[2]']);
    expect(t.conns.get('s[0]')).toBe(keptConn);
    expect(keptConn?.closed).toBe(false);
    expect(t.conns.get('s[1]')?.closed).toBe(true);
    expect(t.m.snapshot().endpoints[0]?.breaker).toBe(breakerBefore);
    // the same config again changes nothing
    expect(await t.reload(config([{ name: 's', endpoints: [A, C] }]))).toEqual({
      added: [],
      removed: [],
      updated: [],
      failed: [],
    });
    await t.m.close();
  });

  it('server-level settings are swapped in place; endpoint-level ones replace every endpoint', async () => {
    const t = await setup(config([{ name: 's', endpoints: [A, B] }]));
    const r1 = await t.reload(
      config([{ name: 's', endpoints: [A, B] }], { callTimeoutMs: 4321, balancer: 'round-robin' }),
    );
    expect(r1).toEqual({ added: [], removed: [], updated: ['s'], failed: [] });
    expect(t.m.registry.server('s')?.settings.callTimeoutMs).toBe(4321);
    expect(t.ids()).toEqual(['s[0]', 's[1]']);
    expect(t.conns.get('s[0]')?.closed).toBe(false);
    const r2 = await t.reload(
      config([{ name: 's', endpoints: [A, B] }], {
        callTimeoutMs: 4321,
        balancer: 'round-robin',
        breaker: { openForMs: 999 },
      }),
      200,
    );
    expect(r2).toEqual({ added: ['s[2]', 's[3]'], removed: ['s[0]', 's[1]'], updated: ['s'], failed: [] });
    expect(t.ids()).toEqual(['s[2]', 's[3]']);
    const order = t.events.flatMap((e) => (e.type === 'fleet' ? [`${e.endpoint} ${e.action}`] : []));
    expect(order).toEqual([
      's[2] added',
      's[2] admitted',
      's[0] draining',
      's[0] removed',
      's[3] added',
      's[3] admitted',
      's[1] draining',
      's[1] removed',
    ]);
    await t.m.close();
  });

  it('new servers join, gone servers drain and leave', async () => {
    const t = await setup(
      config([
        { name: 's', endpoints: [A] },
        { name: 'old', endpoints: [B] },
      ]),
    );
    const r = await t.reload(
      config([
        { name: 's', endpoints: [A] },
        { name: 'fresh', endpoints: [C] },
      ]),
    );
    expect(r).toEqual({ added: ['fresh[0]'], removed: ['old[0]'], updated: [], failed: [] });
    expect(t.m.registry.servers().map((s) => s.name)).toEqual(['s', 'fresh']);
    await expect(t.m.callTool('old', 'echo')).rejects.toMatchObject({ code: 'UNKNOWN_SERVER' });
    const call = settle(t.m.callTool('fresh', 'echo'));
    await advance(t.clock, 20);
    expect(call.current?.ok).toBe(true);
    await t.m.close();
    expect(t.clock.pending()).toBe(0);
    for (const c of t.conns.values()) expect(c.closed).toBe(true);
  });

  it('a config with problems is rejected whole, naming each, and nothing changes', async () => {
    const t = await setup(config([{ name: 's', endpoints: [A] }]));
    const bad = config([
      { name: 's', endpoints: [A, { url: 'not a url' }] },
      { name: 't', endpoints: [B], settings: { callTimeoutMs: -1 } },
    ]);
    const e = await t.m.reload(bad).then(
      () => undefined,
      (err: unknown) => err as { code: string; details: { problems: string[] } },
    );
    expect(e?.code).toBe('INVALID_CONFIG');
    expect(e?.details.problems).toHaveLength(2);
    expect(e?.details.problems[0]).toMatch(/servers\[0\] \(s\): .*invalid url "not a url"/);
    expect(e?.details.problems[1]).toMatch(/servers\[1\] \(t\): .*callTimeoutMs/);
    expect(t.ids()).toEqual(['s[0]']);
    expect(t.m.registry.server('t')).toBeUndefined();
    await t.m.close();
  });

  it('a new endpoint never admitted stops its server change: the old one stays', async () => {
    const t = await setup(config([{ name: 's', endpoints: [A] }], { fleet: { admitTimeoutMs: 100 } }));
    const r = settle(t.m.reload(config([{ name: 's', endpoints: [C] }], { fleet: { admitTimeoutMs: 100 } })));
    await flush();
    const fresh = [...t.conns.values()].at(-1);
    if (fresh) fresh.pingScript = () => ({ fail: 'connection' });
    await advance(t.clock, 200);
    expect(r.current?.ok).toBe(true);
    const value = (r.current as { value: { failed: string[]; removed: string[] } }).value;
    expect(value.failed).toEqual([expect.stringMatching(/^s: s\[1\]: not admitted/)]);
    expect(value.removed).toEqual([]);
    expect(t.ids()).toEqual(['s[0]']);
    await t.m.close();
  });

  it('reloads from a YAML file; a bad file names the place and changes nothing', async () => {
    const t = await setup(config([{ name: 's', endpoints: [A] }]));
    const dir = mkdtempSync(join(tmpdir(), 'reload-'));
    try {
      const good = join(dir, 'fleet.yaml');
      const settings =
        'settings:\n  health: {probe: ping, interval: 50ms, timeout: 20ms, jitter: 0ms, healthyAfter: 1, unhealthyAfter: 1}\n';
      writeFileSync(
        good,
        `${settings}servers:\n  s:\n    endpoints:\n      - url: http://a/mcp\n      - url: http://b/mcp\n`,
      );
      const r = settle(t.m.reloadFromFile(good));
      await advance(t.clock, 100);
      expect(r.current).toMatchObject({ ok: true, value: { added: ['s[1]'] } });
      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, 'servers:\n  s:\n    endpoints:\n      - url: 42\n');
      await expect(t.m.reloadFromFile(bad)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
      expect(t.ids()).toEqual(['s[0]', 's[1]']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await t.m.close();
    }
  });
});
