/**
 * The HTTP relay with real sockets: a mock MCP server behind it, raw HTTP and an SDK client in front.
 * Every mcp action, matching by body and by the 2026-07-28 headers, the relay's log (forwarded or
 * answered by a fault, with the logical call id), and a server that cannot be reached.
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/index.js';
import { CALL_META_KEY, type MockServerHandle, type MockServerSpec } from '../../../src/mock/index.js';
import { type HttpRelay, type McpAction, startHttpRelay } from '../../../src/relay/index.js';
import { fixtures } from '../../helpers/fixtures.js';
import { connectClient, textOf } from '../mock/sdk-client.js';

const fx = fixtures();

async function relayed(
  spec: MockServerSpec = {},
): Promise<{ mock: MockServerHandle; relay: HttpRelay; url: string }> {
  const mock = await fx.mock(spec);
  const relay = fx.own(
    await startHttpRelay({ upstream: { host: '127.0.0.1', port: mock.port }, clock: systemClock }),
    (r) => r.close(),
  );
  return { mock, relay, url: `http://127.0.0.1:${relay.port}/mcp` };
}

const ACCEPT = 'application/json, text/event-stream';
const initialize = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

/** A stateless JSON mock takes a tools/call without a session. */
function call(
  url: string,
  tool = 'echo',
  call = 'c1',
  headers: Record<string, string> = {},
  signal?: AbortSignal,
) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT, ...headers },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: {
        name: tool,
        arguments: tool === 'echo' ? { message: 'hi' } : { a: 1, b: 2 },
        _meta: { [CALL_META_KEY]: call },
      },
    }),
    ...(signal ? { signal } : {}),
  });
}

const STATELESS: MockServerSpec = { session: 'stateless', response: 'json' };
const STATELESS_SSE: MockServerSpec = { session: 'stateless', response: 'sse' };

describe('HTTP relay', () => {
  it('passes MCP through unchanged and logs every tools/call with its logical call id', async () => {
    const { mock, relay, url } = await relayed();
    const c = fx.own(await connectClient(url), (x) => x.close());
    expect(
      textOf(
        await c.client.callTool({
          name: 'echo',
          arguments: { message: 'via relay' },
          _meta: { [CALL_META_KEY]: 'k1' },
        }),
      ),
    ).toBe('via relay');
    expect((await c.client.listTools()).tools.length).toBe(5);
    const { records } = relay.log.snapshot();
    expect(records).toEqual([{ tool: 'echo', call: 'k1', t: expect.any(Number) }]);
    expect(mock.executions().executions.map((e) => e.call)).toEqual(['k1']);
  });

  it.each([
    [{ kind: 'status', status: 503, retryAfterMs: 1500 }, 503, -32000, { 'retry-after': '2' }],
    [{ kind: 'status', status: 429 }, 429, -32000, {}],
    [{ kind: 'error', code: -32603, message: 'boom' }, 200, -32603, {}],
    [{ kind: 'versionSkew' }, 400, -32022, {}],
  ] as Array<[McpAction, number, number, Record<string, string>]>)(
    'answers %o in the server’s place: never forwarded, logged as faulted',
    async (action, status, code, headers) => {
      const { mock, relay, url } = await relayed(STATELESS);
      relay.setFault({ action });
      const res = await call(url);
      expect(res.status).toBe(status);
      for (const [k, v] of Object.entries(headers)) expect(res.headers.get(k)).toBe(v);
      const body = (await res.json()) as {
        id: number;
        error: { code: number; data?: { supported: string[] } };
      };
      expect(body.id).toBe(7);
      expect(body.error.code).toBe(code);
      if (action.kind === 'versionSkew') expect(body.error.data?.supported).toEqual(['2026-07-28']);
      expect(mock.executions().executions).toHaveLength(0);
      expect(relay.log.snapshot().records).toEqual([
        { tool: 'echo', call: 'c1', t: expect.any(Number), faulted: action.kind },
      ]);
      relay.setFault(undefined);
      expect((await call(url, 'echo', 'c2')).status).toBe(200);
      expect(mock.executions().executions.map((e) => e.call)).toEqual(['c2']);
    },
  );

  it('sessionExpired answers 404 to a request on a session, and lets sessionless requests pass', async () => {
    const { relay, url } = await relayed();
    const c = fx.own(await connectClient(url), (x) => x.close());
    relay.setFault({ action: { kind: 'sessionExpired' }, match: { method: 'tools/call' } });
    await expect(c.client.callTool({ name: 'echo', arguments: { message: 'x' } })).rejects.toThrow(
      /404|Session not found/,
    );
    expect(relay.hits).toBe(1);
    const raw = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT },
      body: JSON.stringify({
        ...initialize,
        method: 'tools/call',
        params: { name: 'echo', arguments: { message: 'x' } },
      }),
    });
    expect(raw.status).not.toBe(404); // no session: nothing to expire (the mock refuses it for its own reason)
    await raw.text();
    expect(relay.hits).toBe(1);
  });

  it('delay holds the answer back; the request is executed at once', async () => {
    const { mock, relay, url } = await relayed(STATELESS);
    relay.setFault({ action: { kind: 'delay', ms: 300 } });
    const t0 = performance.now();
    const res = await call(url);
    expect(res.status).toBe(200);
    await res.json();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(mock.executions().executions).toHaveLength(1);
  });

  it('hang forwards the request and never answers; close releases it', async () => {
    const { mock, relay, url } = await relayed(STATELESS);
    relay.setFault({ action: { kind: 'hang' } });
    const ac = new AbortController();
    const pending = call(url, 'echo', 'h1', {}, ac.signal);
    const outcome = await Promise.race([
      pending.then(() => 'answered'),
      new Promise((r) => setTimeout(() => r('waiting'), 400)),
    ]);
    expect(outcome).toBe('waiting');
    expect(mock.executions().executions.map((e) => e.call)).toEqual(['h1']);
    ac.abort();
    await expect(pending).rejects.toThrow();
  });

  it('cutAfter 0 cuts right after the headers (SSE and JSON)', async () => {
    for (const spec of [STATELESS, STATELESS_SSE]) {
      const { relay, url } = await relayed(spec);
      relay.setFault({ action: { kind: 'cutAfter', events: 0 } });
      const res = await call(url);
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow();
    }
  });

  it('cutAfter N passes N SSE events whole, then cuts', async () => {
    const { relay, url } = await relayed(STATELESS_SSE);
    relay.setFault({ action: { kind: 'cutAfter', events: 1 } });
    const res = await call(url);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    let failed = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
      }
    } catch {
      failed = true;
    }
    expect(text).toMatch(/"result"/);
    expect(text.match(/\n\n/g)?.length).toBe(1);
    expect(failed).toBe(true); // the stream ended without its terminating chunk
  });

  it('truncate sends only a share of the answer, then cuts', async () => {
    const { relay, url } = await relayed(STATELESS);
    const whole = await (await call(url, 'echo', 'w')).text();
    relay.setFault({ action: { kind: 'truncate', share: 0.5 } });
    const res = await call(url, 'echo', 't');
    const got = await res.arrayBuffer().then(
      (b) => Buffer.from(b).toString('utf8'),
      () => undefined,
    );
    if (got !== undefined) {
      expect(got.length).toBeLessThan(whole.length);
      expect(() => JSON.parse(got)).toThrow();
    }
  });

  it('corrupt sends a complete answer that does not parse (JSON and each SSE data line)', async () => {
    for (const spec of [STATELESS, STATELESS_SSE]) {
      const { relay, url } = await relayed(spec);
      relay.setFault({ action: { kind: 'corrupt' } });
      const text = await (await call(url)).text();
      const json = spec.response === 'sse' ? (text.match(/^data:(.*)$/m)?.[1] ?? '') : text;
      expect(json).toContain('"result"');
      expect(() => JSON.parse(json)).toThrow();
    }
  });

  it('matches by method and tool from the body, or from the Mcp-Method / Mcp-Name headers', async () => {
    const { relay, url } = await relayed(STATELESS);
    relay.setFault({ action: { kind: 'status', status: 500 }, match: { method: 'tools/call', tool: 'add' } });
    expect((await call(url, 'echo')).status).toBe(200);
    expect((await call(url, 'add')).status).toBe(500);
    // a 2026-07-28 client names the method and tool in headers; the relay believes them
    expect((await call(url, 'echo', 'c3', { 'mcp-method': 'tools/call', 'mcp-name': 'add' })).status).toBe(
      500,
    );
    relay.setFault({ action: { kind: 'status', status: 500 }, match: { method: 'tools/list' } });
    expect((await call(url, 'add')).status).toBe(200);
    expect(relay.hits).toBe(2);
  });

  it('share hits a seeded share of matching requests, the same ones for the same seed', async () => {
    const { relay, url } = await relayed(STATELESS);
    const pattern = async (seed: number) => {
      relay.setFault({ action: { kind: 'status', status: 503 }, share: 0.5, seed });
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await call(url, 'echo', `s${i}`)).status);
      return out.map((s) => (s === 503 ? 1 : 0)).join('');
    };
    const a = await pattern(42);
    const b = await pattern(42);
    expect(a).toBe(b);
    const hits = [...a].filter((x) => x === '1').length;
    expect(hits).toBeGreaterThan(8);
    expect(hits).toBeLessThan(32);
  });

  it('a server that cannot be reached: the client sees its connection close', async () => {
    const { mock, url } = await relayed(STATELESS);
    await mock.close();
    await expect(call(url)).rejects.toThrow();
  });
});
