/**
 * The manager against a real third-party server: `@modelcontextprotocol/server-everything` over stateful
 * Streamable HTTP, kept on loopback by the connection tests' preload. Lists its tools, calls them, and
 * survives the server restarting on the same port (the session is lost and re-established).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpManager } from '../../../src/manager/index.js';
import { type EverythingServer, startEverything } from '../connection/fixtures/server-everything.js';
import { expectNoLeaks, recordEvents, resourceCounts } from './helpers.js';

const textOf = (r: { content: unknown }) =>
  ((r.content as Array<{ text?: string }>)[0]?.text ?? '') as string;

describe('manager against server-everything', () => {
  const before = resourceCounts();
  let server: EverythingServer;
  let m: McpManager;
  let rec: ReturnType<typeof recordEvents>;

  beforeAll(async () => {
    server = await startEverything('streamableHttp');
    m = new McpManager({
      servers: [{ name: 'everything', endpoints: [{ url: `http://127.0.0.1:${server.port}/mcp` }] }],
      settings: { callTimeoutMs: 3000, health: { intervalMs: 200, timeoutMs: 500 } },
    });
    rec = recordEvents(m);
    await m.start();
  }, 30_000);

  afterAll(async () => {
    await m?.close();
    await server?.stop();
  });

  it('lists the catalogue and calls echo and get-sum', async () => {
    const tools = (await m.listTools('everything')).map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    expect(textOf(await m.callTool('everything', 'echo', { message: 'hello' }))).toContain('hello');
    expect(textOf(await m.callTool('everything', 'get-sum', { a: 1, b: 2 }, { idempotent: true }))).toContain(
      '3',
    );
    expect(rec.of('call-end').map((e) => e.outcome)).toEqual(['success', 'success']);
  });

  it('invalid arguments come back as a tool error or protocol error, classified', async () => {
    const out = await m.callTool('everything', 'get-sum', { a: 'x' }).then(
      (r) => (r.isError ? 'tool-error' : 'success'),
      (e: { details?: { outcome?: string } }) => e.details?.outcome,
    );
    expect(out).toMatch(/^(tool-error|protocol)$/);
    expect(rec.of('call-end').at(-1)?.outcome).toBe(out);
  });

  it('survives a restart on the same port: session lost, idempotent calls recover', async () => {
    const port = server.port;
    await server.stop();
    server = await startEverything('streamableHttp', port);
    const r = await m.callTool('everything', 'get-sum', { a: 20, b: 22 }, { idempotent: true });
    expect(textOf(r)).toContain('42');
    const kinds = rec.of('connection').map((e) => e.kind);
    expect(kinds.some((k) => k === 'session-lost' || k === 'disconnected')).toBe(true);
    expect(
      textOf(await m.callTool('everything', 'echo', { message: 'again' }, { idempotent: true })),
    ).toContain('again');
  }, 30_000);

  it('close() leaves no socket, timer or child behind', async () => {
    await m.close();
    await server.stop();
    await expectNoLeaks(before, 5000);
  });
});
