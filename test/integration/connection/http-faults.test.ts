/**
 * EndpointConnection over Streamable HTTP against real mock servers, one test per failure row of
 * MCP-SDK-NOTES: port down, server closed / crashed mid-call, blackhole (connect and mid-call), stateful
 * server restarted, dead notification stream, load (bounded sockets, no MaxListeners warnings), close().
 */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/index.js';
import type { HttpConnection } from '../../../src/manager/connection/http-connection.js';
import {
  type ConnectionOptions,
  createConnection,
  type EndpointConnection,
} from '../../../src/manager/connection/index.js';
import { type MockServerHandle, type MockServerSpec, startMockServer } from '../../../src/mock/index.js';
import { startHttpRelay } from '../../../src/relay/index.js';
import { fixtures } from '../../helpers/fixtures.js';
import { expectNoLeaks, resourceCounts } from '../../helpers/leaks.js';
import { type Forwarder, startForwarder } from './fixtures/tcp-forwarder.js';
import { about, failure, recorder, textOf } from './helpers.js';

const fx = fixtures();
const mock = (spec: MockServerSpec = {}): Promise<MockServerHandle> => fx.mock(spec);
async function forwarder(port?: number): Promise<Forwarder> {
  const f = await startForwarder(port);
  fx.own(f, (x) => x.close());
  return f;
}
function connection(url: string, opts: ConnectionOptions = {}): EndpointConnection {
  const c = createConnection({ id: 'srv[0]', transport: 'http', url }, opts);
  fx.own(c, (x) => x.close());
  return c;
}
/** The connection's count of requests re-sent after a stale keep-alive socket. */
const staleRetries = (c: EndpointConnection) => (c as HttpConnection).staleSocketRetries;
const echo = (c: EndpointConnection, timeoutMs = 2000, idempotent = false) =>
  c.callTool('echo', { message: 'hi' }, { timeoutMs, idempotent });

describe('HTTP connection: port down', () => {
  it('fails at once with class connection, gates lazy reconnects by backoff, recovers by itself', async () => {
    const down = await startMockServer({});
    const port = down.port;
    await down.close();
    const rec = recorder();
    const c = connection(`http://127.0.0.1:${port}/mcp`, {
      onEvent: rec.onEvent,
      reconnectBackoff: { baseMs: 150, maxMs: 150 },
    });
    const first = await failure(() => echo(c));
    expect(first).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    expect(first.error.details.causeCode).toBe('ECONNREFUSED');
    expect(first.ms).toBeLessThan(1000);
    expect(c.state).toBe('broken');
    const gated = await failure(() => echo(c));
    expect(gated).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    expect(gated.error.message).toMatch(/reconnecting in \d+ ms/);
    expect(gated.ms).toBeLessThan(about(100));

    await mock({ port });
    await expect
      .poll(
        () =>
          echo(c).then(
            (r) => textOf(r),
            (e: Error) => e.message,
          ),
        { timeout: 3000, interval: 50 },
      )
      .toBe('hi');
    expect(c.state).toBe('ready');
    expect(rec.kinds()).toContain('disconnected');
    expect(rec.kinds().at(-1)).toBe('connected');
  });

  it('connect() rejects with class connection and ignores the backoff', async () => {
    const down = await startMockServer({});
    await down.close();
    const c = connection(down.url, { reconnectBackoff: { baseMs: 10_000, maxMs: 10_000 } });
    await expect(c.connect()).rejects.toMatchObject({ code: 'CONNECTION_FAILED' });
    const again = await failure(() => c.connect());
    expect(again.error.message).not.toMatch(/reconnecting in/);
  });
});

describe.each(['sse', 'json'] as const)(
  'HTTP connection (%s responses): server gone mid-call',
  (response) => {
    it('server closed mid-call → classified connection error long before the deadline', async () => {
      const h = await mock({ response });
      const c = connection(h.url);
      await c.connect();
      const pending = failure(() => c.callTool('sleep', { ms: 5000 }, { timeoutMs: 3000 }));
      await expect.poll(() => h.stats().calls).toBe(1);
      await h.close();
      const r = await pending;
      expect(r).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
      expect(r.ms).toBeLessThan(1000);
      expect(c.state).toBe('broken');
    });

    it('connection cut by a proxy mid-call (after SSE headers) → connection error at once, not at the deadline', async () => {
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
      expect(textOf(await echo(c))).toBe('hi'); // same session, new sockets
      expect(h.stats().sessions).toBe(1);
    });

    it('server crash (sockets destroyed, crashAfterCalls) mid-call → connection error at once', async () => {
      const h = await mock({ response, crashAfterCalls: 1 });
      const c = connection(h.url);
      expect(textOf(await echo(c))).toBe('hi');
      const r = await failure(() => echo(c, 3000));
      expect(r).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
      expect(r.ms).toBeLessThan(1000);
      expect(h.crashed).toBe(true);
    });
  },
);

describe('HTTP connection: non-2xx answers', () => {
  it('a 503 from the server is class server-5xx and carries the status', async () => {
    let status = 503;
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(status, { 'content-type': 'text/plain' }).end('overloaded');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    fx.own(server, (s) => new Promise<void>((r) => s.close(() => r())));
    const { port } = server.address() as { port: number };
    const c = connection(`http://127.0.0.1:${port}/mcp`);
    const r = await failure(() => c.connect());
    expect(r).toMatchObject({ code: 'SERVER_ERROR', failureClass: 'server-5xx' });
    expect(r.error.details.status).toBe(503);
    status = 502;
    const again = await failure(() => c.connect());
    expect(again.error.details.status).toBe(502);
  });
});

describe('HTTP connection: blackhole', () => {
  it('during connect: times out at the deadline and really closes the socket', async () => {
    const hole = await forwarder();
    const c = connection(`http://127.0.0.1:${hole.port}/mcp`, { connectTimeoutMs: 300 });
    const r = await failure(() => c.connect());
    expect(r).toMatchObject({ code: 'CALL_TIMEOUT', failureClass: 'timeout' });
    expect(r.ms).toBeGreaterThanOrEqual(290);
    expect(r.ms).toBeLessThan(about(300));
    expect(hole.stats().accepted).toBeGreaterThanOrEqual(1);
    await expect.poll(() => hole.stats().open, { timeout: 1000 }).toBe(0);
  });

  it('mid-call: times out at the deadline, closes the call socket, works again after the stall', async () => {
    const h = await mock({});
    const fw = await forwarder(h.port);
    const c = connection(`http://127.0.0.1:${fw.port}/mcp`, { auxTimeoutMs: 200 });
    expect(textOf(await echo(c))).toBe('hi');
    await expect.poll(() => h.stats().notificationStreams).toBe(1);
    fw.mode = 'blackhole';
    const closedBefore = fw.stats().closed;
    const r = await failure(() => echo(c, 300));
    expect(r).toMatchObject({ code: 'CALL_TIMEOUT', failureClass: 'timeout' });
    expect(r.ms).toBeGreaterThanOrEqual(290);
    expect(r.ms).toBeLessThan(about(300));
    // the aborted POST's socket is closed at once; the `cancelled` notification's one at auxTimeoutMs
    await expect.poll(() => fw.stats().closed, { timeout: 200, interval: 10 }).toBeGreaterThan(closedBefore);
    await expect
      .poll(() => fw.stats().closed, { timeout: 1000, interval: 10 })
      .toBeGreaterThan(closedBefore + 1);
    fw.mode = 'forward';
    expect(textOf(await echo(c))).toBe('hi');
    expect(c.state).toBe('ready');
  });
});

// Restarted between two calls with no wait at all: the next request goes out on a pooled keep-alive socket
// the old server closed; it is re-sent on a fresh connection, reaches the new server, and the 404 drives
// session recovery — no call fails with CONNECTION_FAILED.
describe.each(['sse', 'json'] as const)(
  'HTTP connection (%s responses): stateful server restarted',
  (response) => {
    it('recovers the session and replays an idempotent call', async () => {
      const h1 = await startMockServer({ response });
      const rec = recorder();
      const c = connection(h1.url, { onEvent: rec.onEvent });
      expect(textOf(await echo(c))).toBe('hi');
      expect(textOf(await echo(c))).toBe('hi');
      await h1.close();
      const h2 = await mock({ response, port: h1.port });
      expect(textOf(await echo(c, 2000, true))).toBe('hi');
      expect(staleRetries(c)).toBeGreaterThanOrEqual(1);
      expect(rec.kinds()).toEqual(['connected', 'session-lost', 'session-recovered']);
      expect(rec.events[1]?.detail).toMatch(/HTTP 404/);
      expect(h2.stats()).toMatchObject({ calls: 1, sessions: 1 });
      expect(c.state).toBe('ready');
    });

    it('throws SESSION_LOST for a non-idempotent call, then works on the new session', async () => {
      const h1 = await startMockServer({ response });
      const rec = recorder();
      const c = connection(h1.url, { onEvent: rec.onEvent });
      await c.connect();
      expect(textOf(await echo(c))).toBe('hi');
      await h1.close();
      const h2 = await mock({ response, port: h1.port });
      const r = await failure(() => echo(c));
      expect(r).toMatchObject({ code: 'SESSION_LOST', failureClass: 'session-lost' });
      expect(r.error.details.status).toBe(404);
      expect(staleRetries(c)).toBeGreaterThanOrEqual(1);
      expect(h2.stats().calls).toBe(0);
      expect(textOf(await echo(c))).toBe('hi');
      expect(rec.kinds()).toEqual(['connected', 'session-lost', 'session-recovered']);
      expect(h2.stats().calls).toBe(1);
    });
  },
);

describe('HTTP connection: concurrent calls during a session loss', () => {
  it('recovers once (single flight) and replays every idempotent call', async () => {
    const h1 = await startMockServer({});
    const rec = recorder();
    const c = connection(h1.url, { onEvent: rec.onEvent });
    await c.connect();
    await h1.close();
    const h2 = await mock({ port: h1.port });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        c.callTool('echo', { message: `m${i}` }, { timeoutMs: 3000, idempotent: true }),
      ),
    );
    expect(results.map(textOf)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(rec.kinds()).toEqual(['connected', 'session-lost', 'session-recovered']);
    expect(h2.stats()).toMatchObject({ sessions: 1, calls: 20 });
  });
});

describe.each(['sse', 'json'] as const)('HTTP connection: stateless server (%s)', (response) => {
  it('works without a session or notification stream; a 404 is not a session loss', async () => {
    const h = await mock({ session: 'stateless', response });
    const rec = recorder();
    const c = connection(h.url, { onEvent: rec.onEvent });
    expect(textOf(await echo(c))).toBe('hi');
    expect(textOf(await echo(c))).toBe('hi');
    expect(h.stats().notificationStreams).toBe(0);
    const wrongPath = connection(h.url.replace('/mcp', '/nope'));
    const r = await failure(() => echo(wrongPath));
    expect(r).toMatchObject({ code: 'SERVER_ERROR', failureClass: 'server-5xx' });
    expect(r.error.details.status).toBe(404);
    expect(rec.kinds()).toEqual(['connected']);
  });
});

describe('HTTP connection: deadlines, cancels, tool errors, probes', () => {
  it('classifies timeout vs caller cancel, returns isError results', async () => {
    const h = await mock({});
    const c = connection(h.url);
    const t = await failure(() => c.callTool('sleep', { ms: 2000 }, { timeoutMs: 200 }));
    expect(t).toMatchObject({ code: 'CALL_TIMEOUT', failureClass: 'timeout' });
    expect(t.ms).toBeLessThan(about(200));
    const ctl = new AbortController();
    const pending = failure(() => c.callTool('sleep', { ms: 2000 }, { timeoutMs: 2000, signal: ctl.signal }));
    setTimeout(() => ctl.abort(), 50);
    const x = await pending;
    expect(x).toMatchObject({ code: 'CALL_CANCELLED' });
    expect(x.ms).toBeLessThan(about(50));
    const tool = await c.callTool('fail', { message: 'nope' }, { timeoutMs: 2000 });
    expect(tool.isError).toBe(true);
    expect(c.state).toBe('ready');
    await expect(c.callTool('echo', {}, { timeoutMs: 0 })).rejects.toThrow(RangeError);
  });

  it('ping times out on a server that never answers ping; listTools still works as a probe', async () => {
    const h = await mock({ answerPing: false });
    const c = connection(h.url);
    const r = await failure(() => c.ping({ timeoutMs: 150 }));
    expect(r).toMatchObject({ code: 'CALL_TIMEOUT', failureClass: 'timeout' });
    const tools = await c.listTools({ timeoutMs: 2000 });
    expect(tools.map((t) => t.name)).toContain('echo');
    h.setBehaviour({ answerPing: true });
    await c.ping({ timeoutMs: 1000 });
  });
});

describe('HTTP connection: notification stream', () => {
  it('reopens the GET stream after it died, on the next successful request', async () => {
    const h = await mock({});
    const fw = await forwarder(h.port);
    const c = connection(`http://127.0.0.1:${fw.port}/mcp`);
    await c.connect();
    await expect.poll(() => h.stats().notificationStreams).toBe(1);
    fw.cutAll();
    await expect.poll(() => h.stats().notificationStreams).toBe(0);
    expect(textOf(await echo(c))).toBe('hi');
    await expect.poll(() => h.stats().notificationStreams, { timeout: 2000 }).toBe(1);
    expect(h.stats().sessions).toBe(1);
  });
});

describe('HTTP connection: load', () => {
  it('bounds sockets to maxSockets (+1 stream) and raises no MaxListeners warning', async () => {
    const h = await mock({ latency: { fixedMs: 5 } });
    const fw = await forwarder(h.port);
    const c = connection(`http://127.0.0.1:${fw.port}/mcp`, { maxSockets: 4 });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          c.callTool('echo', { message: `m${i}` }, { timeoutMs: 10_000 }),
        ),
      );
      expect(results.map(textOf)).toEqual(Array.from({ length: 200 }, (_, i) => `m${i}`));
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => /MaxListeners/.test(w))).toEqual([]);
    expect(fw.stats().peak).toBeLessThanOrEqual(5);
  });
});

describe('HTTP connection: close()', () => {
  it('is idempotent, rejects in-flight calls, ends the session, leaves nothing behind', async () => {
    const h = await mock({});
    const before = resourceCounts();
    const rec = recorder();
    const c = createConnection({ id: 'srv[0]', transport: 'http', url: h.url }, { onEvent: rec.onEvent });
    await c.connect();
    expect(h.stats().sessions).toBe(1);
    const pending = failure(() => c.callTool('sleep', { ms: 5000 }, { timeoutMs: 5000 }));
    await expect.poll(() => h.stats().calls).toBe(1);
    await Promise.all([c.close(), c.close()]);
    const r = await pending;
    expect(r).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    expect(r.error.details.closed).toBe(true);
    expect(c.state).toBe('closed');
    await expect(echo(c)).rejects.toMatchObject({ code: 'CONNECTION_FAILED' });
    expect(h.stats().sessions).toBe(0);
    expect(rec.kinds()).toEqual(['connected', 'disconnected']);
    await expectNoLeaks(before);
  });
});

describe('HTTP connection: idle answers and back-pressure', () => {
  for (const response of ['sse', 'json'] as const) {
    it(`idleTimeout: a hung ${response} answer fails as stream-idle long before the deadline`, async () => {
      const h = await mock({ response, hang: true });
      const c = connection(h.url, { idleTimeoutMs: 150 });
      await c.connect();
      const r = await failure(() => echo(c, 3000, true));
      expect(r).toMatchObject({ code: 'STREAM_IDLE', failureClass: 'stream-idle' });
      expect(r.error.details.idleTimeoutMs).toBe(150);
      expect(r.ms).toBeGreaterThanOrEqual(145);
      expect(r.ms).toBeLessThan(about(150));
    });
  }

  it('a 503 with Retry-After is overloaded, carrying status and the wait; without a fault calls pass again', async () => {
    const server = await mock({});
    // the MCP-aware relay in front of the mock answers in its place
    const h = fx.own(
      await startHttpRelay({ upstream: { host: '127.0.0.1', port: server.port }, clock: systemClock }),
      (r) => r.close(),
    );
    const c = connection(`http://127.0.0.1:${h.port}/mcp`);
    await c.connect();
    h.setFault({
      action: { kind: 'status', status: 503, retryAfterMs: 2000 },
      match: { method: 'tools/call' },
    });
    const r = await failure(() => echo(c));
    expect(r).toMatchObject({ code: 'SERVER_OVERLOADED', failureClass: 'overloaded' });
    expect(r.error.details).toMatchObject({ status: 503, retryAfterMs: 2000 });
    await c.ping({ timeoutMs: 1000 }); // pings are not matched
    h.setFault({ action: { kind: 'status', status: 429 }, match: { method: 'tools/call', tool: 'echo' } });
    const r429 = await failure(() => echo(c));
    expect(r429).toMatchObject({ failureClass: 'overloaded' });
    expect(r429.error.details.retryAfterMs).toBeUndefined();
    expect(h.hits).toBe(2);
    h.setFault(undefined);
    expect(textOf(await echo(c))).toBe('hi');
  });
});
