/**
 * Local failures are local: what fails inside the gateway — a request nested too deep to serialize, an
 * upstream answer nested too deep to forward — is that client's JSON-RPC error, never a failure held
 * against a replica. Before: deep arguments from one client (2025 session, ≥ 5,000 levels) failed in the
 * gateway's serializer, were recorded as `connection` failures and retried on the next replica, and after a
 * few such calls every breaker was open for every client; an answer nested 20,000 deep left the client
 * with no answer at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHandle, startGateway } from '../../../src/gateway/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { gatewayConfig, legacyClient, modernClient, textOf } from '../gateway/helpers.js';
import { type HostileServer, startHostileServer } from '../hostile/hostile-http.js';
import { nestedText, openSession, post } from './hostile-client.js';

const A = 'token-a-0123456789abcdef';
const B = 'token-b-0123456789abcdef';

describe('gateway: local failures are local', () => {
  let replicas: MockServerHandle[] = [];
  let deep: HostileServer;
  let gw: GatewayHandle;

  beforeAll(async () => {
    replicas = [
      await startMockServer({ protocol: 'legacy', response: 'json' }),
      await startMockServer({ protocol: 'legacy', response: 'json' }),
    ];
    const body = `{"jsonrpc":"2.0","id":$ID,"result":{"content":[{"type":"text","text":"deep"}],"structuredContent":{"v":${nestedText(20_000)}}}}`;
    deep = await startHostileServer(
      { kind: 'template', status: 200, contentType: 'application/json', body: Buffer.from(body) },
      { tools: [{ name: 'answer' }] },
    );
    gw = await startGateway({
      manager: {
        settings: {
          callTimeoutMs: 5000,
          breaker: { trip: { policy: 'consecutive', failures: 3 } },
          health: { probe: 'none' },
        },
        servers: [
          { name: 'weather', endpoints: replicas.map((r) => ({ url: r.url })) },
          { name: 'deep', endpoints: [{ url: deep.url }] },
        ],
      },
      gateway: gatewayConfig(
        { auth: { tokens: ['env:A', 'env:B'] }, rate: { perClient: '10000/s', burst: 10000 } },
        { A, B },
      ),
      port: 0,
    });
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
    for (const r of replicas) await r.close();
    await deep?.close();
  });

  const breakers = () => gw.manager.snapshot().endpoints.map((e) => `${e.id}:${e.breaker}`);

  it('deep arguments (2025 session): 400 with -32600 for that client, every breaker closed, others served', async () => {
    const sid = await openSession(gw.url, A);
    const call = `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"weather__echo","arguments":{"message":${nestedText(5000)}}}}`;
    for (let i = 0; i < 8; i++) {
      const r = await post(gw.url, call, { token: A, session: sid });
      expect(r.status).toBe(400);
      expect(JSON.parse(r.text)).toMatchObject({ error: { code: -32600 } });
      expect(r.text).toMatch(/nested deeper than 64 levels/);
    }
    expect(breakers()).toEqual(['weather[0]:closed', 'weather[1]:closed', 'deep[0]:closed']);
    expect(gw.manager.snapshot().calls.started).toBe(0); // none reached the manager
    const ready = await fetch(gw.url.replace(/\/mcp$/, '/readyz'));
    expect(ready.status).toBe(200);
    const other = await legacyClient(gw.url, B);
    try {
      expect(textOf(await other.callTool({ name: 'weather__echo', arguments: { message: 'hi' } }))).toBe(
        'hi',
      );
    } finally {
      await other.close();
    }
  });

  it('deep arguments (2026-07-28): refused for that client, every breaker closed', async () => {
    const c = await modernClient(gw.url, A);
    try {
      let v: unknown = 'x';
      for (let i = 0; i < 2000; i++) v = [v];
      for (let i = 0; i < 5; i++)
        await expect(c.callTool({ name: 'weather__echo', arguments: { message: v } })).rejects.toThrow();
      expect(breakers()).toEqual(['weather[0]:closed', 'weather[1]:closed', 'deep[0]:closed']);
      expect(textOf(await c.callTool({ name: 'weather__echo', arguments: { message: 'ok' } }))).toBe('ok');
    } finally {
      await c.close();
    }
  });

  it('an upstream answer nested 20,000 deep: a JSON-RPC error naming the server, in both eras', async () => {
    for (const open of [legacyClient, modernClient]) {
      const c = await open(gw.url, B);
      try {
        const err = await c
          .callTool({ name: 'deep__answer', arguments: {} })
          .then(() => undefined)
          .catch((e: unknown) => e);
        expect(err, open.name).toMatchObject({ code: -32603 });
        expect(String((err as Error).message)).toMatch(
          /answer of deep to tools\/call is nested deeper than 64/,
        );
      } finally {
        await c.close();
      }
    }
    expect(breakers()).toContain('deep[0]:closed');
  });
});
