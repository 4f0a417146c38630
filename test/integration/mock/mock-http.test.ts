import { describe, expect, it } from 'vitest';
import type { MockServerSpec } from '../../../src/mock/index.js';
import { fixtures } from '../../helpers/fixtures.js';
import { connectClient, type TestClient, textOf } from './sdk-client.js';

const fx = fixtures();

const start = (spec: MockServerSpec) => fx.mock(spec);
const client = async (url: string): Promise<TestClient> =>
  fx.own(await connectClient(url), (c) => c.close().catch(() => {}));

describe.each([
  ['stateful', 'sse'],
  ['stateful', 'json'],
  ['stateless', 'sse'],
  ['stateless', 'json'],
] as const)('HTTP mock %s/%s', (session, response) => {
  it('serves every tool, ping and tools/list over real sockets', async () => {
    const h = await start({ session, response });
    expect(h.url).toBe(`http://127.0.0.1:${h.port}/mcp`);
    const { client: c } = await client(h.url);
    expect(textOf(await c.callTool({ name: 'echo', arguments: { message: 'hi' } }))).toBe('hi');
    expect(textOf(await c.callTool({ name: 'add', arguments: { a: 1, b: 2 } }))).toBe('3');
    expect(textOf(await c.callTool({ name: 'sleep', arguments: { ms: 5 } }))).toBe('slept 5ms');
    expect((await c.callTool({ name: 'fail', arguments: {} })).isError).toBe(true);
    expect(textOf(await c.callTool({ name: 'big', arguments: { bytes: 300_000 } })).length).toBe(300_000);
    await c.ping();
    expect((await c.listTools()).tools).toHaveLength(5);
    expect(h.stats().calls).toBe(5);
    expect(h.stats().sessions).toBe(session === 'stateful' ? 1 : 0);
  });

  it('answers POSTs in the configured style', async () => {
    const h = await start({ session, response });
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'raw', version: '1' },
        },
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(
      response === 'json' ? 'application/json' : 'text/event-stream',
    );
    expect(res.headers.get('mcp-session-id') !== null).toBe(session === 'stateful');
    await res.text();
  });
});

describe('HTTP mock sessions', () => {
  const rpc = (url: string, headers: Record<string, string>, method = 'POST') =>
    fetch(url, {
      method,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      ...(method === 'POST' ? { body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) } : {}),
    });

  it('stateful: unknown session id → 404, missing → 400, wrong path → 404', async () => {
    const h = await start({});
    const unknown = await rpc(h.url, { 'mcp-session-id': 'nope' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: -32001 } });
    expect((await rpc(h.url, {})).status).toBe(400);
    expect((await rpc(h.url.replace('/mcp', '/other'), {})).status).toBe(404);
  });

  it('stateless: GET and DELETE → 405', async () => {
    const h = await start({ session: 'stateless' });
    expect((await rpc(h.url, {}, 'GET')).status).toBe(405);
    expect((await rpc(h.url, {}, 'DELETE')).status).toBe(405);
  });

  it('stateful: DELETE ends a session; the GET notification stream is counted', async () => {
    const h = await start({});
    const c = await client(h.url);
    await expect.poll(() => h.stats().notificationStreams, { timeout: 2000 }).toBe(1);
    expect(h.stats().sessions).toBe(1);
    await c.transport.terminateSession();
    expect(h.stats().sessions).toBe(0);
    await expect.poll(() => h.stats().notificationStreams, { timeout: 2000 }).toBe(0);
  });

  it('keeps at most maxSessions, evicting the oldest', async () => {
    const h = await start({ maxSessions: 2 });
    const a = await client(h.url);
    const b = await client(h.url);
    const c = await client(h.url);
    expect(h.stats().sessions).toBe(2);
    await expect(a.client.callTool({ name: 'echo', arguments: { message: 'x' } })).rejects.toMatchObject({
      code: 404,
    });
    expect(textOf(await b.client.callTool({ name: 'echo', arguments: { message: 'b' } }))).toBe('b');
    expect(textOf(await c.client.callTool({ name: 'echo', arguments: { message: 'c' } }))).toBe('c');
  });

  it('close() is idempotent and frees the port', async () => {
    const h = await start({});
    await client(h.url);
    await Promise.all([h.close(), h.close()]);
    await expect(fetch(h.url, { method: 'POST' })).rejects.toThrow();
    const again = await start({ port: h.port });
    expect(again.port).toBe(h.port);
  });
});
