import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { isChaosError } from '../../../src/core/errors.js';
import { SeededRng } from '../../../src/core/rng.js';
import { type ManagerEvent, type ManagerOptions, McpManager } from '../../../src/manager/index.js';
import { eventProblems, type FakeConnection, fakeFactory, settle } from './support/fakes.js';

const managers: McpManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.close();
});

function make(options: Omit<ManagerOptions, 'clock' | 'rng'>) {
  const clock = new FakeClock(0);
  const { factory, conns } = fakeFactory(clock);
  const m = new McpManager({ ...options, clock, rng: new SeededRng(3) }, { createConnection: factory });
  managers.push(m);
  const events: ManagerEvent[] = [];
  m.onEvent((e) => events.push(e));
  const of = <T extends ManagerEvent['type']>(type: T) =>
    events.filter((e): e is Extract<ManagerEvent, { type: T }> => e.type === type);
  return { clock, m, conn: (id: string) => conns.get(id) as FakeConnection, events, of };
}

const twoReplicas = (settings: ManagerOptions['settings'] = {}): Omit<ManagerOptions, 'clock' | 'rng'> => ({
  servers: [
    {
      name: 'w',
      tags: ['prod', 'weather'],
      endpoints: [{ url: 'http://127.0.0.1:1/mcp' }, { url: 'http://127.0.0.1:2/mcp', id: 'w-b', weight: 3 }],
    },
    { name: 'local', endpoints: [{ command: ['node', 'x.js'] }] },
  ],
  settings,
});

describe('McpManager lifecycle', () => {
  it('exposes the registry: servers, endpoint ids, transports, tags, effective settings', () => {
    const { m } = make(twoReplicas({ callTimeoutMs: 750 }));
    expect(m.registry.servers().map((s) => s.name)).toEqual(['w', 'local']);
    expect(m.registry.endpoints('w').map((e) => [e.id, e.transport, e.weight])).toEqual([
      ['w[0]', 'http', 1],
      ['w-b', 'http', 3],
    ]);
    expect(m.registry.endpoint('local[0]')).toMatchObject({ transport: 'stdio', command: ['node', 'x.js'] });
    expect(m.registry.withTag('prod').map((s) => s.name)).toEqual(['w']);
    expect(m.registry.tags()).toEqual(['prod', 'weather']);
    expect(m.registry.server('w')?.settings.callTimeoutMs).toBe(750);
    expect(Object.isFrozen(m.registry.server('w')?.settings.breaker)).toBe(true);
  });

  it('rejects bad options before creating anything', () => {
    const clock = new FakeClock();
    const { factory, conns } = fakeFactory(clock);
    const bad = (o: Partial<ManagerOptions>) => () =>
      new McpManager({ servers: [], clock, ...o } as ManagerOptions, { createConnection: factory });
    expect(bad({})).toThrow(/at least one server/);
    expect(bad({ servers: [{ name: 'a', endpoints: [{ url: 'http://x/mcp', command: ['x'] }] }] })).toThrow(
      RangeError,
    );
    expect(
      bad({
        servers: [
          { name: 'a', endpoints: [{ url: 'http://x/mcp' }] },
          { name: 'a', endpoints: [{ url: 'http://y/mcp' }] },
        ],
      }),
    ).toThrow(/duplicate server/);
    expect(
      bad({
        servers: [{ name: 'a', endpoints: [{ url: 'http://x/mcp' }] }],
        settings: { breaker: { openForMs: -1 } },
      }),
    ).toThrow(/openForMs/);
    expect(conns.size).toBe(0);
  });

  it('start() connects every endpoint, tolerates one that is down, then probes health', async () => {
    const { clock, m, conn, of } = make(
      twoReplicas({ health: { intervalMs: 100, timeoutMs: 50, jitterMs: 0, unhealthyAfter: 2 } }),
    );
    conn('w-b').connectScript = () => ({ fail: 'connection', afterMs: 5 });
    conn('w-b').pingScript = () => ({ fail: 'connection', afterMs: 1 });
    const started = settle(m.start());
    await clock.advanceAsync(5);
    expect(started.current?.ok).toBe(true);
    await clock.advanceAsync(200);
    expect(of('health').map((h) => [h.endpoint, h.from, h.to])).toEqual(
      expect.arrayContaining([
        ['w[0]', 'unknown', 'healthy'],
        ['local[0]', 'unknown', 'healthy'],
        ['w-b', 'unknown', 'unhealthy'],
      ]),
    );
    // Traffic avoids the unhealthy endpoint.
    for (let i = 0; i < 4; i++) {
      const r = settle(m.callTool('w', 'echo'));
      await clock.advanceAsync(10);
      expect(r.current?.ok).toBe(true);
    }
    expect(of('attempt-start').every((a) => a.endpoint === 'w[0]')).toBe(true);
    // Everything unhealthy (probes failing, calls fine): panic mode keeps serving through the breakers.
    conn('w[0]').pingScript = () => ({ fail: 'timeout', afterMs: 1 });
    await clock.advanceAsync(250);
    expect(
      m
        .snapshot()
        .endpoints.filter((e) => e.server === 'w')
        .map((e) => e.health),
    ).toEqual(['unhealthy', 'unhealthy']);
    const r = settle(m.callTool('w', 'echo'));
    await clock.advanceAsync(10);
    expect(r.current?.ok).toBe(true);
  });

  it('NO_ENDPOINT when every endpoint is ejected', async () => {
    const { clock, m, conn, of } = make(
      twoReplicas({
        health: { probe: 'none' },
        ejection: { consecutiveFailures: 1, maxPercent: 100 },
        breaker: { trip: { policy: 'consecutive', failures: 100 } },
      }),
    );
    for (const id of ['w[0]', 'w-b']) conn(id).script = () => ({ fail: 'connection', afterMs: 1 });
    const first = settle(m.callTool('w', 'echo', {}, { idempotent: true }));
    await clock.advanceAsync(50);
    expect(first.current?.ok).toBe(false);
    expect(of('ejection').filter((e) => e.ejected)).toHaveLength(2);
    const r = settle(m.callTool('w', 'echo'));
    await clock.advanceAsync(0);
    expect(isChaosError((r.current as { error: unknown }).error, 'NO_ENDPOINT')).toBe(true);
    expect(of('call-end').at(-1)).toMatchObject({ outcome: 'no-endpoint', attempts: 0 });
  });

  it('a successful probe brings an ejected endpoint back early', async () => {
    const { clock, m, conn, of } = make(
      twoReplicas({
        health: { intervalMs: 100, timeoutMs: 50, jitterMs: 0 },
        ejection: { consecutiveFailures: 1, baseTimeMs: 10_000, maxTimeMs: 10_000 },
        retry: { attempts: 2 },
      }),
    );
    await Promise.all([m.start(), clock.advanceAsync(1)]);
    for (const id of ['w[0]', 'w-b']) conn(id).script = () => ({ fail: 'server-5xx', afterMs: 1 });
    const r = settle(m.callTool('w', 'echo', {}, { idempotent: true }));
    await clock.advanceAsync(30);
    expect(r.current?.ok).toBe(false);
    const ejected = of('ejection');
    expect(ejected).toHaveLength(1); // maxPercent 50 of 2 endpoints: one at a time
    const id = ejected[0]!.endpoint;
    expect(ejected[0]).toMatchObject({ ejected: true, untilT: ejected[0]!.t + 10_000 });
    expect(m.snapshot().endpoints.find((e) => e.id === id)?.ejected).toBe(true);
    await clock.advanceAsync(150);
    expect(of('ejection')[1]).toMatchObject({
      endpoint: id,
      ejected: false,
      reason: expect.stringMatching(/health check/),
    });
    expect(of('ejection')[1]!.t - ejected[0]!.t).toBeLessThan(200);
  });

  it('hedges a slow idempotent call on another endpoint; the first answer wins, the loser is cancelled', async () => {
    const { clock, m, conn, of, events } = make({
      servers: [
        { name: 'h', endpoints: [{ url: 'http://127.0.0.1:1/mcp' }, { url: 'http://127.0.0.1:2/mcp' }] },
      ],
      settings: {
        health: { probe: 'none' },
        balancer: 'round-robin',
        hedge: { percentile: 90, minDelayMs: 20, maxInFlight: 2 },
      },
    });
    for (const id of ['h[0]', 'h[1]']) conn(id).script = () => ({ ok: true, afterMs: 10 });
    for (let i = 0; i < 20; i++) {
      const r = settle(m.callTool('h', 'echo', {}, { idempotent: true }));
      await clock.advanceAsync(10);
      expect(r.current?.ok).toBe(true);
    }
    expect(of('attempt-start').some((a) => a.kind === 'hedge')).toBe(false);
    conn('h[0]').script = () => ({ hang: true });
    conn('h[1]').script = () => ({ ok: true, afterMs: 10 });
    // Round-robin: the next first attempt goes to h[0].
    const slow = settle(m.callTool('h', 'echo', {}, { idempotent: true }));
    await clock.advanceAsync(20);
    expect(of('attempt-start').at(-1)).toMatchObject({ kind: 'hedge', endpoint: 'h[1]' });
    await clock.advanceAsync(10);
    expect(slow.current?.ok).toBe(true);
    const last = of('call-end').at(-1);
    expect(last).toMatchObject({ outcome: 'success', endpoint: 'h[1]', attempts: 2, latencyMs: 30 });
    const ends = of('attempt-end').slice(-2);
    expect(ends.map((e) => [e.endpoint, e.outcome])).toEqual([
      ['h[1]', 'success'],
      ['h[0]', 'cancelled'],
    ]);
    expect(conn('h[0]').calls.at(-1)?.signal?.aborted).toBe(true);
    expect(eventProblems(events)).toEqual([]);
    // Non-idempotent calls never hedge.
    conn('h[1]').script = () => ({ hang: true });
    const plain = settle(m.callTool('h', 'echo', {}, { timeoutMs: 100 }));
    await clock.advanceAsync(100);
    expect(plain.current?.ok).toBe(false);
    expect(of('attempt-start').at(-1)?.kind).toBe('first');
  });

  it('listTools caches the catalogue until tools-changed, a recovered session or a restarted process', async () => {
    const { clock, m, conn } = make(twoReplicas({ health: { probe: 'none' } }));
    const first = await m.listTools('w');
    expect(first.map((t) => t.name)).toEqual(['echo']);
    conn('w[0]').tools = [{ name: 'sum', inputSchema: { type: 'object' } }];
    conn('w-b').tools = [{ name: 'sum', inputSchema: { type: 'object' } }];
    expect((await m.listTools('w')).map((t) => t.name)).toEqual(['echo']);
    conn('w[0]').notify({ kind: 'tools-changed' });
    expect((await m.listTools('w')).map((t) => t.name)).toEqual(['sum']);
    // A new session or process may serve another catalogue: dropped too.
    for (const kind of ['session-recovered', 'process-restart'] as const) {
      const next = `after-${kind}`;
      conn('w[0]').tools = [{ name: next, inputSchema: { type: 'object' } }];
      conn('w-b').tools = [{ name: next, inputSchema: { type: 'object' } }];
      expect((await m.listTools('w')).map((t) => t.name)).not.toEqual([next]);
      conn('w-b').notify({ kind });
      expect((await m.listTools('w')).map((t) => t.name)).toEqual([next]);
    }
    conn('w[0]').notify({ kind: 'connected' });
    conn('w[0]').tools = [];
    expect((await m.listTools('w')).map((t) => t.name)).toEqual(['after-process-restart']);
    await expect(m.listTools('zzz')).rejects.toMatchObject({ code: 'UNKNOWN_SERVER' });
    void clock;
  });

  it('tools-changed is an event; a listing in flight when it comes is neither cached nor joined', async () => {
    const { m, conn, of } = make(twoReplicas({ health: { probe: 'none' } }));
    const c0 = conn('w[0]');
    const answers: Array<(tools: { name: string; inputSchema: { type: 'object' } }[]) => void> = [];
    c0.listTools = () => new Promise((r) => answers.push(r));
    const before = m.listTools('w'); // in flight, started before the change
    c0.notify({ kind: 'tools-changed', detail: 'session-1' });
    expect(of('connection')).toEqual([
      { type: 'connection', t: 0, endpoint: 'w[0]', kind: 'tools-changed', detail: 'session-1' },
    ]);
    const after = m.listTools('w'); // must not join the stale listing
    expect(answers).toHaveLength(2);
    answers[0]?.([{ name: 'old', inputSchema: { type: 'object' } }]);
    expect((await before).map((t) => t.name)).toEqual(['old']);
    answers[1]?.([{ name: 'new', inputSchema: { type: 'object' } }]);
    expect((await after).map((t) => t.name)).toEqual(['new']);
    c0.listTools = async () => [{ name: 'newer', inputSchema: { type: 'object' } }];
    expect((await m.listTools('w')).map((t) => t.name)).toEqual(['new']); // cached: no change since
    c0.notify({ kind: 'tools-changed' });
    expect((await m.listTools('w')).map((t) => t.name)).toEqual(['newer']);
  });

  it('maps connection notices to connection events', async () => {
    const { m, conn, of } = make(twoReplicas({ health: { probe: 'none' } }));
    conn('local[0]').notify({ kind: 'process-exit', detail: 'code 1' });
    expect(of('connection')).toEqual([
      { type: 'connection', t: 0, endpoint: 'local[0]', kind: 'process-exit', detail: 'code 1' },
    ]);
    void m;
  });

  it('metricsText() reports calls and endpoint state from its own registry', async () => {
    const { clock, m } = make(twoReplicas({ health: { probe: 'none' } }));
    const r = settle(m.callTool('w', 'echo'));
    await clock.advanceAsync(10);
    expect(r.current?.ok).toBe(true);
    const text = await m.metricsText();
    expect(text).toMatch(/mcp_manager_calls_total\{server="w",endpoint="w\[0\]|w-b",outcome="success"\} 1/);
    expect(text).toContain('mcp_manager_breaker_state{server="local",endpoint="local[0]",state="closed"} 1');
    expect(m.metricsContentType).toMatch(/text\/plain/);
  });
});
