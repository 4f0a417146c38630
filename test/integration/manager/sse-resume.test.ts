/**
 * SEP-1699 through the manager: a 2025 server that ends a call's SSE stream after a priming event
 * (`id`, `retry: 200`) is resumed — a GET with `Last-Event-ID`, no sooner than `retry` ms — and the
 * answer that comes on it completes the call. Before: the call failed at once ("the response stream ended
 * before the answer") and the server was sent notifications/cancelled. Bounded: a stream that never
 * brings the answer ends at the call's deadline; nothing is held against the endpoint for a resumption.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../../src/gateway/index.js';
import { McpManager } from '../../../src/manager/index.js';
import { gatewayConfig, modernClient } from '../gateway/helpers.js';
import { type ResumableServer, startResumableServer } from './fixtures/resumable-server.js';

const RETRY_MS = 200;
const textOf = (r: unknown) =>
  ((r as { content: Array<{ text?: string }> }).content[0]?.text ?? '') as string;

describe('manager: resuming a 2025 SSE stream (SEP-1699)', () => {
  let server: ResumableServer;
  let m: McpManager;
  beforeAll(async () => {
    server = await startResumableServer(RETRY_MS);
    m = new McpManager({
      servers: [{ name: 'r', endpoints: [{ url: server.url }] }],
      settings: { callTimeoutMs: 5000, health: { probe: 'none' }, retry: { attempts: 1 } },
    });
    await m.start();
  }, 30_000);
  afterAll(async () => {
    await m?.close();
    await server?.close();
  });

  it('a stream ended after its priming event: resumed with Last-Event-ID after retry ms, the answer completes the call', async () => {
    const before = server.resumes.length;
    const r = await m.callTool('r', 'close_then_answer', { delayMs: 100 });
    expect(textOf(r)).toBe('resumed');
    const got = server.resumes.slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]?.lastEventId).toMatch(/_\d+$/);
    // the client waits the server's retry before it reconnects (the conformance suite allows 50 ms early)
    const closedAt = server.closes[server.closes.length - 1] as number;
    expect((got[0]?.at as number) - closedAt).toBeGreaterThanOrEqual(RETRY_MS - 50);
    expect(m.snapshot().endpoints[0]?.breaker).toBe('closed');
  });

  it('a resumed stream ended again: resumed once more, from the last event seen, after the same retry', async () => {
    const before = server.resumes.length;
    const r = await m.callTool('r', 'close_twice', {});
    expect(textOf(r)).toBe('resumed twice');
    const got = server.resumes.slice(before);
    expect(got).toHaveLength(2);
    // the resumed stream brought no event of its own: the second resumption starts from the same one
    expect(got[1]?.lastEventId).toBe(got[0]?.lastEventId);
    const secondClose = server.closes[server.closes.length - 1] as number;
    expect((got[1]?.at as number) - secondClose).toBeGreaterThanOrEqual(RETRY_MS - 50);
  });

  it('the answer never comes: the call ends at its deadline as a timeout, not before and not hanging', async () => {
    const started = performance.now();
    const err = await m.callTool('r', 'close_and_hang', {}, { timeoutMs: 1500 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'CALL_TIMEOUT' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1400);
    // the session still serves
    expect(textOf(await m.callTool('r', 'close_then_answer', { delayMs: 0 }))).toBe('resumed');
  });
});

describe('gateway: a resumable upstream stream, through the gateway', () => {
  it('both client eras get the answer that came on the resumed stream', async () => {
    const server = await startResumableServer(RETRY_MS);
    const gw = await startGateway({
      manager: {
        settings: { callTimeoutMs: 5000, health: { probe: 'none' } },
        servers: [{ name: 'r', endpoints: [{ url: server.url }] }],
      },
      gateway: gatewayConfig(),
      port: 0,
    });
    const modern = await modernClient(gw.url);
    const legacy = new Client({ name: 'legacy', version: '1' });
    try {
      await legacy.connect(new StreamableHTTPClientTransport(new URL(gw.url)));
      for (const c of [modern, legacy]) {
        const r = await c.callTool({ name: 'r__close_then_answer', arguments: { delayMs: 50 } });
        expect(textOf(r)).toBe('resumed');
      }
      expect(server.resumes.length).toBe(2);
    } finally {
      await legacy.close();
      await modern.close();
      await gw.close();
      await server.close();
    }
  });
});
