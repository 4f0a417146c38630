/**
 * Session loss and process death against real mock servers: a stateful HTTP server restarted on the same
 * port (the old session is gone: the connection re-initializes and replays only idempotent calls), and a
 * stdio child killed mid-run (calls fail over to the other child; the dead one restarts and serves again).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.js';
import { isChaosError } from '../../../src/core/errors.js';
import { McpManager } from '../../../src/manager/index.js';
import { type MockServerHandle, mockServerCommand, startMockServer } from '../../../src/mock/index.js';
import { about, drive, eventually, expectNoLeaks, recordEvents, resourceCounts } from './helpers.js';

const before = resourceCounts();
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('session loss on a restarted stateful server', () => {
  it('recovers the session; idempotent calls succeed, the next calls work', async () => {
    let server: MockServerHandle = await startMockServer({ response: 'json', session: 'stateful' });
    cleanups.push(() => server.close());
    const m = new McpManager({
      servers: [{ name: 's', endpoints: [{ url: server.url }] }],
      settings: { callTimeoutMs: 1000, health: { probe: 'none' } },
    });
    cleanups.push(() => m.close());
    const rec = recordEvents(m);
    await m.start();
    expect((await m.callTool('s', 'echo', { message: 'a' })).isError).toBeFalsy();
    const port = server.port;
    await server.close();
    server = await startMockServer({ response: 'json', session: 'stateful', port });
    const t0 = performance.now();
    const r = await m.callTool('s', 'echo', { message: 'b' }, { idempotent: true });
    expect(r.isError).toBeFalsy();
    expect(server.stats().calls).toBe(1); // replayed once on the new session
    expect(performance.now() - t0).toBeLessThan(about(1000));
    const kinds = rec.of('connection').map((e) => e.kind);
    expect(kinds).toContain('session-lost');
    // Non-idempotent calls after recovery work on the new session.
    const r2 = await m.callTool('s', 'echo', { message: 'c' });
    expect(r2.isError).toBeFalsy();
    expect(rec.of('call-end').map((e) => e.outcome)).toEqual(['success', 'success', 'success']);
    expect(rec.of('attempt-end').map((e) => e.outcome)).toEqual(['success', 'success', 'success']);
  });

  it('a non-idempotent call that hits the lost session is not replayed: SESSION_LOST, in time, then served', async () => {
    let server: MockServerHandle = await startMockServer({ response: 'json', session: 'stateful' });
    cleanups.push(() => server.close());
    const m = new McpManager({
      servers: [{ name: 's', endpoints: [{ url: server.url }] }],
      settings: { callTimeoutMs: 800, health: { probe: 'none' } },
    });
    cleanups.push(() => m.close());
    const rec = recordEvents(m);
    await m.start();
    await m.callTool('s', 'echo', { message: 'a' });
    await m.callTool('s', 'echo', { message: 'a2' });
    const port = server.port;
    await server.close();
    server = await startMockServer({ response: 'json', session: 'stateful', port });
    // No wait: the call goes out on a pooled keep-alive socket the old server closed. It is re-sent on a
    // fresh connection (never a CONNECTION_FAILED), meets the 404 and is not replayed on the new session.
    const t0 = performance.now();
    const err = await m
      .callTool('s', 'echo', { message: 'b' }, { idempotent: false })
      .catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(about(800));
    expect(isChaosError(err, 'SESSION_LOST')).toBe(true);
    expect((err as { details: Record<string, unknown> }).details.outcome).toBe('session-lost');
    expect(server.stats().calls).toBe(0); // not replayed on the new server
    expect((await m.callTool('s', 'echo', { message: 'c' })).isError).toBeFalsy();
    expect(server.stats().calls).toBe(1);
    expect(rec.of('call-end').map((e) => e.outcome)).toEqual([
      'success',
      'success',
      'session-lost',
      'success',
    ]);
    expect(rec.of('attempt-end').filter((e) => e.outcome === 'connection')).toEqual([]);
  });
});

describe('stdio children', () => {
  it('fails over when a child is killed, and takes the restarted child back', async () => {
    const command = mockServerCommand({ transport: 'stdio' });
    const m = new McpManager({
      servers: [{ name: 'local', endpoints: [{ command }, { command }] }],
      settings: {
        callTimeoutMs: 1000,
        health: { intervalMs: 100, timeoutMs: 300, jitterMs: 10 },
        breaker: { trip: { policy: 'consecutive', failures: 3 }, openForMs: 300 },
      },
    });
    cleanups.push(() => m.close());
    const rec = recordEvents(m);
    await m.start({ connectTimeoutMs: 15_000 });
    const pid = m.pidOf('local[0]');
    expect(pid).toBeGreaterThan(0);
    expect(m.pidOf('local[1]')).not.toBe(pid);
    const steady = await drive(m, { server: 'local', concurrency: 4, durationMs: 300, timeoutMs: 1000 });
    expect(steady.ok).toBe(steady.calls);
    const killedT = systemClock.now();
    process.kill(pid as number, 'SIGKILL');
    const during = await drive(m, {
      server: 'local',
      concurrency: 4,
      durationMs: 800,
      timeoutMs: 1000,
      idempotent: true,
    });
    expect(during.ok / during.calls, JSON.stringify(during.byCode)).toBeGreaterThanOrEqual(0.99);
    expect(during.worstOverrunMs).toBeLessThan(about(0));
    const exits = rec.of('connection').filter((e) => e.endpoint === 'local[0]' && e.t >= killedT);
    expect(exits.map((e) => e.kind)).toContain('process-exit');
    // The child restarts and serves again.
    const back = await eventually(() => {
      const p = m.pidOf('local[0]');
      return p !== undefined && p !== pid;
    }, 10_000);
    expect(back).toBe(true);
    const after = await drive(m, { server: 'local', concurrency: 4, durationMs: 1500, timeoutMs: 1000 });
    expect(after.ok / after.calls, JSON.stringify(after.byCode)).toBeGreaterThanOrEqual(0.99);
    const served = rec
      .of('call-end')
      .filter((e) => e.endpoint === 'local[0]' && e.t > killedT && e.outcome === 'success');
    expect(served.length).toBeGreaterThan(0);
  });
});

describe('resources', () => {
  it('nothing is left behind after close()', async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await expectNoLeaks(before, 5000);
  });
});
