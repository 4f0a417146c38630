/**
 * The gateway's defences, from outside over real HTTP: a missing or wrong token is 401 with
 * `WWW-Authenticate: Bearer`, a foreign Host or Origin 403, an oversized body 413, a wrong content type
 * 415, bad JSON 400, a client over its rate 429 with Retry-After, sessions beyond the bound 503; the ops
 * endpoints answer; no token and no stack trace ever appears in a log line or an answer.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHandle, type GatewayLog, startGateway } from '../../../src/gateway/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { gatewayConfig, legacyClient } from './helpers.js';

const TOKEN = 'test-token-0123456789abcdef';
const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP request (node:http, so Host can be set freely). */
function send(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Answer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: opts.method ?? 'POST',
        headers: opts.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const json = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const auth = { ...json, authorization: `Bearer ${TOKEN}` };

describe('gateway guards', () => {
  let upstream: MockServerHandle;
  let gw: GatewayHandle;
  const logged: string[] = [];
  const log: GatewayLog = {
    debug: (o, m) => logged.push(JSON.stringify({ ...o, m })),
    info: (o, m) => logged.push(JSON.stringify({ ...o, m })),
    warn: (o, m) => logged.push(JSON.stringify({ ...o, m })),
    error: (o, m) => logged.push(JSON.stringify({ ...o, m })),
  };

  beforeAll(async () => {
    upstream = await startMockServer({ protocol: 'legacy', response: 'json' });
    gw = await startGateway({
      manager: {
        servers: [
          { name: 'up', endpoints: [{ url: upstream.url }] },
          { name: 'down', endpoints: [{ url: 'http://127.0.0.1:9/mcp' }] },
        ],
      },
      gateway: gatewayConfig(
        {
          auth: { tokens: ['env:GW_TEST_TOKEN'] },
          maxBodyBytes: '4KiB',
          rate: { perClient: '5/s', burst: 40 },
          sessions: { max: 3 },
        },
        { GW_TEST_TOKEN: TOKEN },
      ),
      port: 0,
      log,
      connectTimeoutMs: 1000,
    });
  }, 30_000);

  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  it('401 without a token or with a wrong one, with WWW-Authenticate: Bearer', async () => {
    const none = await send(gw.url, { headers: json, body: JSON.stringify(INIT) });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    const wrong = await send(gw.url, {
      headers: { ...json, authorization: 'Bearer wrong-secret-value-123' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toMatchObject({ error: { message: 'invalid bearer token' } });
  });

  it('403 for a foreign Host (DNS rebinding) or Origin', async () => {
    const host = await send(gw.url, { headers: { ...auth, host: 'attacker.example:80' }, body: '{}' });
    expect(host.status).toBe(403);
    const origin = await send(gw.url, {
      headers: { ...auth, origin: 'http://attacker.example' },
      body: '{}',
    });
    expect(origin.status).toBe(403);
    const local = await send(gw.url, {
      headers: { ...auth, origin: 'http://localhost:5173' },
      body: JSON.stringify(INIT),
    });
    expect(local.status).toBe(200);
  });

  it('413 for a body over maxBodyBytes (declared or streamed), 415 and 400 for the wrong kind of body', async () => {
    const big = JSON.stringify({ ...INIT, pad: 'x'.repeat(5000) });
    expect((await send(gw.url, { headers: auth, body: big })).status).toBe(413);
    const chunked = await send(gw.url, {
      headers: { ...auth, 'transfer-encoding': 'chunked' },
      body: Buffer.from(big),
    });
    expect(chunked.status).toBe(413);
    expect(
      (await send(gw.url, { headers: { ...auth, 'content-type': 'text/plain' }, body: '{}' })).status,
    ).toBe(415);
    const bad = await send(gw.url, { headers: auth, body: '{"jsonrpc":' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: { code: -32700 } });
  });

  it('404 for an unknown session, 400 without one, 503 beyond the session bound', async () => {
    expect((await send(gw.url, { headers: { ...auth, 'mcp-session-id': 'nope' }, body: '{}' })).status).toBe(
      404,
    );
    expect((await send(gw.url, { method: 'GET', headers: auth })).status).toBe(400);
    const open: Awaited<ReturnType<typeof legacyClient>>[] = [];
    let refused: unknown;
    for (let i = 0; i < 4 && refused === undefined; i++) {
      await legacyClient(gw.url, TOKEN).then(
        (c) => open.push(c),
        (e: unknown) => (refused = e),
      );
    }
    expect(String(refused)).toContain('too many sessions');
    expect(open.length).toBeLessThanOrEqual(3);
    const third = await send(gw.url, { headers: auth, body: JSON.stringify(INIT) });
    expect(third.status).toBe(503);
    expect(third.headers['retry-after']).toBeDefined();
    for (const c of open) await c.close();
  });

  it('ops: /healthz 200, /readyz 503 naming the server without a healthy endpoint, /metrics behind the token', async () => {
    const base = gw.url.replace(/\/mcp$/, '');
    expect((await send(`${base}/healthz`, { method: 'GET' })).status).toBe(200);
    const ready = await send(`${base}/readyz`, { method: 'GET' });
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({
      status: 'not ready',
      servers: [{ server: 'down', healthy: 0 }],
      unlisted: ['down'], // its tool list could not be had either
    });
    expect((await send(`${base}/metrics`, { method: 'GET' })).status).toBe(401);
    const metrics = await send(`${base}/metrics`, {
      method: 'GET',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^mcp_gateway_requests_total\{method="initialize",outcome="ok"\} \d+/m);
    expect(metrics.body).toMatch(/^mcp_gateway_refusals_total\{reason="auth"\} \d+/m);
    expect(metrics.body).toMatch(/^mcp_manager_/m);
  });

  it('429 with Retry-After once a client is over its rate', async () => {
    const statuses: number[] = [];
    let retryAfter: string | string[] | undefined;
    for (let i = 0; i < 60; i++) {
      const r = await send(gw.url, { headers: { ...auth, 'mcp-session-id': 'x' }, body: '{}' });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers['retry-after'];
    }
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('never logs a token and never answers with a stack trace', () => {
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join('\n')).not.toContain(TOKEN);
    expect(logged.join('\n')).not.toContain('wrong-secret-value-123');
  });
});
