/** EndpointConnection over stdio against the mock spawned as a child process (`mcp-chaos mock --transport stdio`). */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ConnectionOptions,
  createConnection,
  type EndpointConnection,
} from '../../../src/manager/connection/index.js';
import { type MockServerSpec, mockServerCommand } from '../../../src/mock/index.js';
import { expectNoLeaks, resourceCounts } from '../../helpers/leaks.js';
import { about, failure, recorder, textOf } from './helpers.js';

/** Starting a tsx child can take seconds on two busy cores: connect deadline and restart waits. */
const SPAWN_MS = 20_000;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function stdio(
  spec: MockServerSpec = {},
  opts: ConnectionOptions = {},
  restart?: boolean,
): EndpointConnection {
  const c = createConnection(
    {
      id: 'local[0]',
      transport: 'stdio',
      command: mockServerCommand({ ...spec, transport: 'stdio' }),
      ...(restart === undefined ? {} : { restart }),
    },
    { reconnectBackoff: { baseMs: 50, maxMs: 200 }, connectTimeoutMs: SPAWN_MS, ...opts },
  );
  cleanups.push(() => c.close());
  return c;
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const echo = (c: EndpointConnection, timeoutMs = 3000) =>
  c.callTool('echo', { message: 'hi' }, { timeoutMs });

describe('stdio connection', () => {
  it('connects lazily, exposes the pid, serves tools, ping and listTools', async () => {
    const c = stdio();
    expect(c.state).toBe('idle');
    expect(c.pid).toBeUndefined();
    expect(textOf(await c.callTool('add', { a: 1, b: 2 }, { timeoutMs: SPAWN_MS }))).toBe('3');
    expect(c.state).toBe('ready');
    expect(c.pid).toBeGreaterThan(0);
    await c.ping({ timeoutMs: 1000 });
    expect((await c.listTools({ timeoutMs: 1000 })).map((t) => t.name)).toContain('big');
    expect((await c.callTool('fail', {}, { timeoutMs: 1000 })).isError).toBe(true);
    const t = await failure(() => c.callTool('sleep', { ms: 2000 }, { timeoutMs: 150 }));
    expect(t).toMatchObject({ code: 'CALL_TIMEOUT', failureClass: 'timeout' });
    expect(t.ms).toBeLessThan(about(150));
  });

  it('child killed mid-call: the pending call rejects at once, the child restarts, the next call works', async () => {
    const rec = recorder();
    const c = stdio({}, { onEvent: rec.onEvent });
    await c.connect();
    const pid = c.pid as number;
    const pending = failure(() => c.callTool('sleep', { ms: 5000 }, { timeoutMs: 5000 }));
    await c.ping({ timeoutMs: 1000 }); // the sleep call is on the wire before we kill
    process.kill(pid, 'SIGKILL');
    const r = await pending;
    expect(r).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    expect(r.ms).toBeLessThan(1000);
    expect(c.state).not.toBe('ready');
    await expect.poll(() => c.state, { timeout: SPAWN_MS }).toBe('ready');
    expect(c.pid).not.toBe(pid);
    expect(textOf(await echo(c))).toBe('hi');
    expect(rec.kinds()).toEqual(['connected', 'process-exit', 'process-restart']);
    expect(rec.events[1]?.detail).toMatch(new RegExp(`pid ${pid} signal SIGKILL`));
  });

  it('a call during the restart backoff fails fast with class connection', async () => {
    const c = stdio({}, { reconnectBackoff: { baseMs: 1000, maxMs: 1000 } });
    await c.connect();
    process.kill(c.pid as number, 'SIGKILL');
    await expect.poll(() => c.state).toBe('broken');
    const r = await failure(() => echo(c));
    expect(r).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    expect(r.error.message).toMatch(/restarting in \d+ ms/);
    expect(r.ms).toBeLessThan(about(100));
  });

  it('crashAfterCalls: the crashing call fails fast, the restarted child serves again', async () => {
    const rec = recorder();
    const c = stdio({ crashAfterCalls: 1 }, { onEvent: rec.onEvent });
    expect(textOf(await c.callTool('echo', { message: 'one' }, { timeoutMs: SPAWN_MS }))).toBe('one');
    const r = await failure(() => echo(c));
    expect(r).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    expect(r.ms).toBeLessThan(1000);
    await expect.poll(() => c.state, { timeout: SPAWN_MS }).toBe('ready');
    expect(textOf(await echo(c))).toBe('hi');
    expect(rec.events[1]).toMatchObject({ kind: 'process-exit' });
    expect(rec.events[1]?.detail).toMatch(/exit code 1.*crashing after 1 calls/);
  });

  it('restart: false → no restart; calls fail fast until connect() starts a new child', async () => {
    const rec = recorder();
    const c = stdio({}, { onEvent: rec.onEvent }, false);
    await c.connect();
    process.kill(c.pid as number, 'SIGKILL');
    await expect.poll(() => c.state).toBe('broken');
    const r = await failure(() => echo(c));
    expect(r.error.message).toMatch(/restart is disabled/);
    expect(rec.kinds()).toEqual(['connected', 'process-exit']);
    await c.connect();
    expect(textOf(await echo(c))).toBe('hi');
  });

  it('spawn failure → class connection', async () => {
    const c = createConnection({ id: 'x', transport: 'stdio', command: ['/nonexistent/mcp-server'] });
    cleanups.push(() => c.close());
    const r = await failure(() => c.connect());
    expect(r).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    expect(r.error.details.causeCode).toBe('ENOENT');
  });

  it('close(): kills even a SIGSTOPped child within the grace, rejects in-flight calls, leaves nothing', async () => {
    const before = resourceCounts();
    const c = createConnection(
      { id: 'local[0]', transport: 'stdio', command: mockServerCommand({ transport: 'stdio' }) },
      { closeGraceMs: 200, connectTimeoutMs: SPAWN_MS },
    );
    await c.connect();
    const pid = c.pid as number;
    const pending = failure(() => c.callTool('sleep', { ms: 5000 }, { timeoutMs: 5000 }));
    await c.ping({ timeoutMs: 1000 });
    process.kill(pid, 'SIGSTOP');
    const t0 = performance.now();
    await Promise.all([c.close(), c.close()]);
    expect(performance.now() - t0).toBeLessThan(about(200) + 500);
    expect(alive(pid)).toBe(false);
    expect((await pending).error.details.closed).toBe(true);
    expect(c.state).toBe('closed');
    await expectNoLeaks(before);
  });

  it('close() of a healthy child ends it through stdin', async () => {
    const c = stdio();
    await c.connect();
    const pid = c.pid as number;
    await c.close();
    expect(alive(pid)).toBe(false);
  });
});
