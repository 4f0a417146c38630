/**
 * What a direct connection gives, a client gets through the gateway too — against server-everything (a
 * server nobody here wrote) and a 2025 mock behind one gateway, for a v1 (2025) and a v2 (2026-07-28)
 * client alike:
 * - resource links and embedded resources in tool results point into the gateway's URI space and can be
 *   read through it; a server's own URI, never listed by the gateway, is routed to the one server that owns
 *   it (before: -32602 "Unknown resource … start with mcp-gateway://<server>/");
 * - the servers' instructions reach the client, each under its server's heading (before: dropped);
 * - the gateway advertises only what some upstream has: in front of tools-only servers, prompts/list and
 *   resources/list are -32601 as the servers themselves answer (before: `[]`, and capabilities claimed);
 * - a JSON-RPC error in an HTTP 200 counts as an error in the gateway's request metrics;
 * - `initialize` on the 2026-07-28 wire is method-not-found (404/-32601);
 * - resource subscriptions deliver `notifications/resources/updated` to 2025 sessions and 2026-07-28 listen
 *   streams alike, held upstream once (before: acknowledged, never delivered);
 * - a 2025 client's roots reach the upstream (before: roots never declared, `get-roots-list` missing).
 */
import type { Client as ModernClient } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ListRootsRequestSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type GatewayHandle, startGateway } from '../../../src/gateway/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { type EverythingServer, startEverything } from '../connection/fixtures/server-everything.js';
import { gatewayConfig, legacyClient, modernClient } from './helpers.js';

const ANY = z.looseObject({});
const textOfAll = (r: unknown) =>
  ((r as { content?: Array<{ text?: string }> }).content ?? []).map((x) => x.text ?? '').join('\n');
type Content = { type: string; uri?: string; resource?: { uri: string } };

describe('gateway: transparent to what servers answer', () => {
  let everything: EverythingServer;
  let mock: MockServerHandle;
  let gw: GatewayHandle;
  const clients: Record<string, Client | ModernClient> = {};

  beforeAll(async () => {
    everything = await startEverything('streamableHttp');
    mock = await startMockServer({ protocol: 'legacy', response: 'json' });
    gw = await startGateway({
      manager: {
        settings: { callTimeoutMs: 5000, health: { probe: 'none' } },
        servers: [
          { name: 'everything', endpoints: [{ url: `http://127.0.0.1:${everything.port}/mcp` }] },
          { name: 'weather', endpoints: [{ url: mock.url }] },
        ],
      },
      // many clients' worth of requests from one address: the per-client rate is not what is judged here
      gateway: gatewayConfig({ rate: { perClient: '100000/s', burst: 100000 } }),
      port: 0,
    });
    clients['2025-11-25'] = await legacyClient(gw.url);
    clients['2026-07-28'] = await modernClient(gw.url);
  }, 60_000);

  afterAll(async () => {
    for (const c of Object.values(clients)) await c.close();
    await gw?.close();
    await mock?.close();
    await everything?.stop();
  });

  for (const era of ['2025-11-25', '2026-07-28']) {
    it(`${era}: resource links in a tool result are gateway URIs, and each one reads`, async () => {
      const c = clients[era] as Client;
      const r = await c.callTool({ name: 'everything__get-resource-links', arguments: { count: 3 } });
      const links = (r.content as Content[]).filter((x) => x.type === 'resource_link');
      expect(links.length).toBe(3);
      for (const link of links) {
        expect(link.uri).toMatch(/^mcp-gateway:\/\/everything\//);
        const read = await c.readResource({ uri: link.uri as string });
        expect(read.contents[0]?.uri).toBe(link.uri);
      }
    });

    it(`${era}: an embedded resource's URI is a gateway URI too`, async () => {
      const c = clients[era] as Client;
      const r = await c.callTool({
        name: 'everything__get-resource-reference',
        arguments: { resourceType: 'Text', resourceId: 1 },
      });
      const embedded = (r.content as Content[]).find((x) => x.type === 'resource');
      expect(embedded?.resource?.uri).toMatch(/^mcp-gateway:\/\/everything\//);
      const read = await c.readResource({ uri: embedded?.resource?.uri as string });
      expect(read.contents.length).toBe(1);
    });

    it(`${era}: a server's own URI the gateway never showed reaches the one server that owns it`, async () => {
      const c = clients[era] as Client;
      const listed = await c.listResources();
      const own = String(listed.resources[0]?.uri).replace(/^mcp-gateway:\/\/everything\//, '');
      expect(own).not.toMatch(/^mcp-gateway:/);
      const read = await c.readResource({ uri: own });
      expect(read.contents.length).toBe(1);
      const unknown = await c.readResource({ uri: 'nowhere://x' }).catch((e) => e);
      expect(String(unknown)).toMatch(/Unknown resource: nowhere:\/\/x/);
    });
  }

  it('both eras: the instructions of server-everything, as a direct client gets them, under "## everything"', async () => {
    const direct = new Client({ name: 'direct', version: '1' });
    await direct.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${everything.port}/mcp`)),
    );
    try {
      const own = direct.getInstructions() as string;
      expect(own.length).toBeGreaterThan(100);
      for (const era of ['2025-11-25', '2026-07-28']) {
        const got = (clients[era] as Client).getInstructions();
        expect(got, era).toBe(`## everything\n\n${own.trim()}`);
      }
    } finally {
      await direct.close();
    }
  });

  it('in front of tools-only servers: no prompts or resources advertised, and their methods are -32601', async () => {
    const only = await startGateway({
      manager: {
        settings: { health: { probe: 'none' } },
        servers: [{ name: 'weather', endpoints: [{ url: mock.url }] }],
      },
      gateway: gatewayConfig(),
      port: 0,
    });
    const legacy = await legacyClient(only.url);
    const modern = await modernClient(only.url);
    try {
      for (const c of [legacy, modern] as Client[]) {
        const caps = c.getServerCapabilities();
        expect(caps?.tools).toBeDefined();
        expect(caps?.prompts).toBeUndefined();
        expect(caps?.resources).toBeUndefined();
        expect(caps?.completions).toBeUndefined();
        // on the wire (the v2 client's listPrompts answers [] by itself when prompts are not advertised)
        for (const method of ['prompts/list', 'resources/list']) {
          const raw = c as unknown as { request(r: unknown, s?: unknown): Promise<unknown> };
          const err = (await raw.request({ method, params: {} }, ANY).catch((e) => e)) as {
            code?: unknown;
            message?: string;
          };
          // 2025: a JSON-RPC error; 2026-07-28: HTTP 404 carrying it (the v2 client surfaces the status)
          const text = `${err?.code} ${err?.message}`;
          expect(text, method).toMatch(/^-32601 |"code":-32601/);
        }
        expect((await c.listTools()).tools.length).toBeGreaterThan(0);
      }
      // an unknown tool is -32602, and the gateway counts it as an error (before: outcome="ok", the 2025
      // wire answering it in an HTTP 200)
      const unknown = await legacy.callTool({ name: 'nobody__nope', arguments: {} }).catch((e) => e);
      expect(String(unknown?.code), JSON.stringify(unknown)).toBe('-32602');
      await legacy.callTool({ name: 'weather__echo', arguments: { message: 'x' } });
      const base = only.url.replace(/\/mcp$/, '');
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^mcp_gateway_requests_total\{method="tools\/call",outcome="error"\} [1-9]/m);
      expect(metrics).toMatch(/^mcp_gateway_requests_total\{method="tools\/call",outcome="ok"\} [1-9]/m);
    } finally {
      await legacy.close();
      await modern.close();
      await only.close();
    }
  });

  it('initialize on the 2026-07-28 wire: 404 with -32601, as a 2026-07-28 server answers (before: 400/-32000)', async () => {
    const res = await fetch(gw.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'initialize',
        params: { protocolVersion: '2026-07-28', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      }),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ id: 7, error: { code: -32601 } });
  });

  it('resource subscriptions deliver in both eras, one upstream subscription for both, gone when both leave', async () => {
    const legacy = clients['2025-11-25'] as Client;
    const modern = clients['2026-07-28'] as unknown as ModernClient;
    const uri = (await legacy.listResources()).resources[0]?.uri as string;
    const got: Record<string, string[]> = { legacy: [], modern: [] };
    legacy.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      got.legacy?.push(n.params.uri);
    });
    modern.setNotificationHandler('notifications/resources/updated', (n: { params: { uri: string } }) => {
      got.modern?.push(n.params.uri);
    });
    await legacy.subscribeResource({ uri });
    const sub = await modern.listen({ resourceSubscriptions: [uri] });
    try {
      expect(sub.honoredFilter.resourceSubscriptions).toEqual([uri]);
      // server-everything sends updates once a session turns them on (at once, then every 5 s)
      await legacy.callTool({ name: 'everything__toggle-subscriber-updates', arguments: {} });
      await expect.poll(() => got.legacy?.length ?? 0, { timeout: 15_000, interval: 100 }).toBeGreaterThan(0);
      await expect.poll(() => got.modern?.length ?? 0, { timeout: 15_000, interval: 100 }).toBeGreaterThan(0);
      expect(new Set([...(got.legacy ?? []), ...(got.modern ?? [])])).toEqual(new Set([uri]));
      expect(gw.subscriptions.size).toBe(1);
    } finally {
      await legacy.unsubscribeResource({ uri });
      await sub.close();
    }
    await expect.poll(() => gw.subscriptions.size, { timeout: 5000 }).toBe(0);
  });

  it('roots: the roots of a 2025 client reach the upstream — get-roots-list is there and lists them', async () => {
    const c = new Client(
      { name: 'rooted', version: '1' },
      { capabilities: { roots: { listChanged: true } } },
    );
    let roots = [{ uri: 'file:///tmp/gateway-roots-a', name: 'a' }];
    c.setRequestHandler(ListRootsRequestSchema, async () => ({ roots }));
    await c.connect(new StreamableHTTPClientTransport(new URL(gw.url)));
    try {
      const names = (await c.listTools()).tools.map((t) => t.name);
      expect(names).toContain('everything__get-roots-list');
      const listed = async () =>
        textOfAll(await c.callTool({ name: 'everything__get-roots-list', arguments: {} }));
      await expect.poll(listed, { timeout: 10_000, interval: 100 }).toContain('file:///tmp/gateway-roots-a');
      // the client's list changes: it says so, the upstream asks again and sees the new one
      roots = [{ uri: 'file:///tmp/gateway-roots-b', name: 'b' }];
      await c.sendRootsListChanged();
      await expect.poll(listed, { timeout: 10_000, interval: 100 }).toContain('file:///tmp/gateway-roots-b');
    } finally {
      await c.close();
    }
  });
});
