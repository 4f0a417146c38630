/**
 * Connections and shutdown. Before: a client trickling a body at 1 byte/s kept its connection open (only
 * headers timed out, at 64 s) and one address could open any number; after SIGTERM new connections were
 * refused although the docs said 503; a call longer than `drain` ended as an empty SSE body (2025) or a
 * socket error (2026) instead of a JSON-RPC error.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHandle, startGateway } from '../../../src/gateway/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { gatewayConfig, legacyClient, modernClient } from '../gateway/helpers.js';

/** Resolves when the socket is closed by the other side, with what it received. */
function untilClosed(s: Socket): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    s.on('data', (d) => {
      got += d.toString();
    });
    s.on('close', () => resolve(got));
    s.on('error', () => {});
  });
}

describe('gateway: connections and shutdown', () => {
  let upstream: MockServerHandle;
  let gw: GatewayHandle;

  beforeAll(async () => {
    upstream = await startMockServer({ protocol: 'legacy', response: 'json' });
    gw = await startGateway({
      manager: {
        settings: { health: { probe: 'none' } },
        servers: [{ name: 'up', endpoints: [{ url: upstream.url }] }],
      },
      gateway: gatewayConfig({ connections: { perAddress: 5 }, requestTimeout: '1s' }),
      port: 0,
    });
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  it('a body trickled byte by byte is cut at the request deadline with 408', async () => {
    const s = connect(gw.port, '127.0.0.1');
    const closed = untilClosed(s);
    s.write(
      'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    const drip = setInterval(() => s.write(' '), 200);
    try {
      const got = await closed;
      expect(got).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
      s.destroy();
    }
  });

  it('connections beyond the per-address cap are closed at once; the others keep working', async () => {
    const open: Socket[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const s = connect(gw.port, '127.0.0.1');
        await new Promise((r) => s.once('connect', r));
        open.push(s);
      }
      const extra = connect(gw.port, '127.0.0.1');
      extra.on('error', () => {});
      await untilClosed(extra);
      expect(extra.destroyed).toBe(true);
    } finally {
      for (const s of open) s.destroy();
    }
    // once they are gone, clients are served again
    await expect.poll(async () => (await fetch(gw.url.replace(/\/mcp$/, '/healthz'))).status).toBe(200);
  });
});

describe('gateway: drain', () => {
  for (const era of ['2025-11-25', '2026-07-28'] as const) {
    it(`${era}: new requests get 503 while draining; a call longer than drain gets a JSON-RPC error`, async () => {
      const upstream = await startMockServer({ protocol: 'legacy', response: 'json' });
      const gw = await startGateway({
        manager: {
          settings: { callTimeoutMs: 10_000 },
          servers: [{ name: 'up', endpoints: [{ url: upstream.url }] }],
        },
        gateway: gatewayConfig({ drain: '300ms' }),
        port: 0,
      });
      const c = era === '2025-11-25' ? await legacyClient(gw.url) : await modernClient(gw.url);
      try {
        const call = c.callTool({ name: 'up__sleep', arguments: { ms: 5000 } }).then(
          () => undefined,
          (e: unknown) => e,
        );
        await expect.poll(() => gw.manager.snapshot().endpoints[0]?.inFlight, { timeout: 3000 }).toBe(1);
        const closed = gw.close();
        const late = await fetch(gw.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          body: '{}',
        });
        expect(late.status).toBe(503);
        const err = await call;
        expect(err).toMatchObject({ code: -32050 });
        expect(String((err as Error).message)).toMatch(/closed/i);
        await closed;
      } finally {
        await c.close().catch(() => {});
        await gw.close();
        await upstream.close();
      }
    });
  }
});
