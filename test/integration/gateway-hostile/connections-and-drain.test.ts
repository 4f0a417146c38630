/**
 * Connections and shutdown (graceful drain: what SIGTERM runs). Before: a client trickling a body at 1 byte/s kept its connection open (only
 * headers timed out, at 64 s) and one address could open any number; after SIGTERM new connections were
 * refused although the docs said 503; a call longer than `drain` ended as an empty SSE body (2025) or a
 * socket error (2026) instead of a JSON-RPC error.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayHandle } from '../../../src/gateway/index.js';
import { legacyClient, modernClient, textOf } from '../gateway/helpers.js';
import { gatewayOverMock } from './hostile-client.js';

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
  let gw: GatewayHandle;
  let close = async () => {};

  beforeAll(async () => {
    ({ gw, close } = await gatewayOverMock('up', { connections: { perAddress: 5 }, requestTimeout: '1s' }));
  }, 60_000);

  afterAll(() => close());

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
  /** A call of `sleepMs` in flight through a gateway with `drain`, then close(): what the call and a new request got. */
  async function drainDuring(era: '2025-11-25' | '2026-07-28', drain: string, sleepMs: number) {
    const { gw, close } = await gatewayOverMock('up', { drain });
    const c = era === '2025-11-25' ? await legacyClient(gw.url) : await modernClient(gw.url);
    try {
      type Outcome = { result?: unknown; error?: unknown };
      const call = c.callTool({ name: 'up__sleep', arguments: { ms: sleepMs } }).then(
        (r): Outcome => ({ result: r }),
        (e: unknown): Outcome => ({ error: e }),
      );
      await expect.poll(() => gw.manager.snapshot().endpoints[0]?.inFlight, { timeout: 3000 }).toBe(1);
      const closed = gw.close();
      const late = await fetch(gw.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: '{}',
      });
      const outcome = await call;
      await closed;
      return { lateStatus: late.status, ...outcome };
    } finally {
      await c.close().catch(() => {});
      await close();
    }
  }

  it('a call shorter than drain finishes and is answered; new requests get 503 meanwhile', async () => {
    const r = await drainDuring('2025-11-25', '5s', 600);
    expect(r.lateStatus).toBe(503);
    expect(textOf(r.result)).toBe('slept 600ms');
  });

  for (const era of ['2025-11-25', '2026-07-28'] as const) {
    it(`${era}: a call longer than drain gets a JSON-RPC error, not a cut stream`, async () => {
      const r = await drainDuring(era, '300ms', 5000);
      expect(r.lateStatus).toBe(503);
      expect(r.error).toMatchObject({ code: -32050 });
      expect(String((r.error as Error).message)).toMatch(/closed/i);
    });
  }
});
