/**
 * The failure rows of MCP-SDK-NOTES rechecked on the 2026-07-28 path (v2 client, modern-only v2 servers):
 * port down, server closed / reset mid-call, connection cut after the answer's headers, blackhole (connect
 * and mid-call), restart on the same port, stdio child killed mid-call. Each: a classified error within
 * the deadline (the bare v2 client hangs to its 60 s timeout when an SSE answer is cut), recovery, and
 * nothing left behind. JSON and SSE answers both (`response`).
 */
import { describe, expect, it } from 'vitest';
import type { HttpConnection } from '../../../src/manager/connection/http-connection.js';
import {
  type ConnectionOptions,
  createConnection,
  type EndpointConnection,
} from '../../../src/manager/connection/index.js';
import { type MockServerSpec, mockServerCommand, startMockServer } from '../../../src/mock/index.js';
import { fixtures } from '../../helpers/fixtures.js';
import { expectNoLeaks, resourceCounts } from '../../helpers/leaks.js';
import { startForwarder } from '../connection/fixtures/tcp-forwarder.js';
import { about, failure, recorder, textOf } from '../connection/helpers.js';

const fx = fixtures();
const MODERN = { protocol: 'modern' } as const;

async function mock(spec: MockServerSpec = {}) {
  return fx.own(await startMockServer({ ...MODERN, ...spec }), (x) => x.close());
}
async function forwarder(port?: number) {
  return fx.own(await startForwarder(port), (x) => x.close());
}
function connection(url: string, opts: ConnectionOptions = {}): EndpointConnection {
  return fx.own(
    createConnection({ id: 'm[0]', transport: 'http', url }, { protocol: 'modern', ...opts }),
    (x) => x.close(),
  );
}
const echo = (c: EndpointConnection, timeoutMs = 2000) =>
  c.callTool('echo', { message: 'hi' }, { timeoutMs });

describe('2026-07-28 over HTTP: port down', () => {
  it('fails at once as connection, then works once the server is back on the port', async () => {
    const before = resourceCounts();
    const down = await startMockServer(MODERN);
    const port = down.port;
    await down.close();
    const c = connection(`http://127.0.0.1:${port}/mcp`, { reconnectBackoff: { baseMs: 100, maxMs: 100 } });
    const r = await failure(() => echo(c));
    expect(r).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    expect(r.ms).toBeLessThan(1000);
    const h = await startMockServer({ ...MODERN, port });
    await expect
      .poll(() => echo(c).then(textOf, (e: Error) => e.message), { timeout: 3000, interval: 50 })
      .toBe('hi');
    await c.close();
    await h.close();
    await expectNoLeaks(before);
  });
});

describe.each(['sse', 'json'] as const)('2026-07-28 over HTTP (%s answers): broken mid-call', (response) => {
  it('server closed mid-call → connection error long before the deadline', async () => {
    const h = await mock({ response });
    const c = connection(h.url);
    await c.connect();
    const pending = failure(() => c.callTool('sleep', { ms: 5000 }, { timeoutMs: 3000 }));
    await expect.poll(() => h.stats().calls).toBe(1);
    await h.close();
    const r = await pending;
    expect(r).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    expect(r.ms).toBeLessThan(1000);
  });

  it('connection reset mid-call by a proxy → connection error at once; the next call works', async () => {
    const h = await mock({ response });
    const fw = await forwarder(h.port);
    const c = connection(`http://127.0.0.1:${fw.port}/mcp`);
    await c.connect();
    const pending = failure(() => c.callTool('sleep', { ms: 5000 }, { timeoutMs: 3000 }));
    await expect.poll(() => h.stats().calls).toBe(1);
    fw.cutAll();
    const r = await pending;
    expect(r).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    expect(r.ms).toBeLessThan(1000);
    expect(textOf(await echo(c))).toBe('hi');
  });

  it('answer cut after its first bytes (headers through) → connection error at once, not at the deadline', async () => {
    const h = await mock({ response });
    const fw = await forwarder(h.port);
    const c = connection(`http://127.0.0.1:${fw.port}/mcp`) as HttpConnection;
    await c.connect();
    await expect.poll(() => c.notificationStream).toBe('open'); // the listen stream is not the one cut
    fw.cutNext = 'answer';
    const r = await failure(() => echo(c, 3000));
    expect(r).toMatchObject({ failureClass: 'connection' });
    expect(r.ms).toBeLessThan(1000);
    expect(textOf(await echo(c))).toBe('hi');
  });

  it('restart on the same port → no session to lose: the next call just works', async () => {
    const h = await startMockServer({ ...MODERN, response });
    const c = connection(h.url);
    expect(textOf(await echo(c))).toBe('hi');
    await h.close();
    const again = await mock({ response, port: h.port });
    // not SESSION_LOST, even for a call that may not be repeated: 2026-07-28 has no sessions
    const r = await c.callTool('add', { a: 1, b: 2 }, { timeoutMs: 2000, idempotent: false }).then(
      (x) => textOf(x),
      (e: Error) => e.message,
    );
    expect(['3', expect.stringMatching(/CONNECTION|connection|socket|closed/)]).toContainEqual(r);
    expect(textOf(await echo(c))).toBe('hi');
    expect(again.stats().calls).toBeGreaterThanOrEqual(1);
  });
});

describe('2026-07-28 over HTTP: blackhole', () => {
  it('during connect: times out at the deadline and closes the socket', async () => {
    const hole = await forwarder();
    const c = connection(`http://127.0.0.1:${hole.port}/mcp`, { connectTimeoutMs: 300 });
    const r = await failure(() => c.connect());
    expect(r).toMatchObject({ code: 'CALL_TIMEOUT', failureClass: 'timeout' });
    expect(r.ms).toBeGreaterThanOrEqual(290);
    expect(r.ms).toBeLessThan(about(300));
    await expect.poll(() => hole.stats().open, { timeout: 1000 }).toBe(0);
  });

  it('mid-call: times out at the deadline, works again after the stall', async () => {
    const h = await mock({});
    const fw = await forwarder(h.port);
    const c = connection(`http://127.0.0.1:${fw.port}/mcp`, { auxTimeoutMs: 200 });
    expect(textOf(await echo(c))).toBe('hi');
    fw.mode = 'blackhole';
    const r = await failure(() => echo(c, 300));
    expect(r).toMatchObject({ code: 'CALL_TIMEOUT', failureClass: 'timeout' });
    expect(r.ms).toBeGreaterThanOrEqual(290);
    expect(r.ms).toBeLessThan(about(300));
    fw.mode = 'forward';
    expect(textOf(await echo(c))).toBe('hi');
  });
});

describe('2026-07-28 over stdio: child killed mid-call', () => {
  it('the pending call rejects at once, the child restarts in the same era, the next call works', async () => {
    const rec = recorder();
    const c = fx.own(
      createConnection(
        { id: 'local[0]', transport: 'stdio', command: mockServerCommand({ transport: 'stdio', ...MODERN }) },
        { protocol: 'auto', onEvent: rec.onEvent, reconnectBackoff: { baseMs: 50, maxMs: 200 } },
      ),
      (x) => x.close(),
    );
    await c.connect();
    const pid = c.pid as number;
    const pending = failure(() => c.callTool('sleep', { ms: 5000 }, { timeoutMs: 5000 }));
    await c.listTools({ timeoutMs: 2000 }); // the sleep call is on the wire before we kill
    process.kill(pid, 'SIGKILL');
    const r = await pending;
    expect(r).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    expect(r.ms).toBeLessThan(1000);
    await expect.poll(() => c.state, { timeout: 10_000 }).toBe('ready');
    expect(c.pid).not.toBe(pid);
    expect(textOf(await echo(c))).toBe('hi');
    expect(rec.kinds()).toEqual(['connected', 'process-exit', 'process-restart']);
    expect(rec.eras()).toEqual(['modern']); // found once; the restart kept it (no probe child)
  });
});
