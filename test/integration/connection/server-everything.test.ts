/**
 * EndpointConnection against a real third-party server: @modelcontextprotocol/server-everything, kept on
 * loopback by fixtures/loopback-preload.cjs, readiness taken from the preload's stderr line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createConnection, type EndpointConnection } from '../../../src/manager/connection/index.js';
import { type EverythingServer, startEverything } from './fixtures/server-everything.js';
import { failure, recorder, textOf } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function everything(mode: 'streamableHttp' | 'sse', port = 0): Promise<EverythingServer> {
  const s = await startEverything(mode, port);
  cleanups.push(() => s.stop());
  return s;
}

describe('server-everything over Streamable HTTP', () => {
  it('lists and calls echo and get-sum, pings, and recovers its session after a restart', async () => {
    const s1 = await everything('streamableHttp');
    const rec = recorder();
    const c: EndpointConnection = createConnection(
      { id: 'everything[0]', transport: 'http', url: `http://127.0.0.1:${s1.port}/mcp` },
      { onEvent: rec.onEvent },
    );
    cleanups.push(() => c.close());
    const names = (await c.listTools({ timeoutMs: 5000 })).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    expect(textOf(await c.callTool('echo', { message: 'hello' }, { timeoutMs: 5000 }))).toBe('Echo: hello');
    expect(textOf(await c.callTool('get-sum', { a: 19, b: 23 }, { timeoutMs: 5000 }))).toMatch(/42/);
    await c.ping({ timeoutMs: 2000 });

    await s1.stop();
    const down = await failure(() => c.callTool('echo', { message: 'x' }, { timeoutMs: 2000 }));
    expect(down).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    await everything('streamableHttp', s1.port);
    // the restarted server does not know our session (it answers 400): re-initialize and replay
    expect(
      textOf(await c.callTool('echo', { message: 'again' }, { timeoutMs: 5000, idempotent: true })),
    ).toBe('Echo: again');
    expect(rec.kinds()).toEqual(['connected', 'disconnected', 'session-lost', 'session-recovered']);
    expect(rec.events[2]?.detail).toMatch(/HTTP 40[04]/);
    expect(c.state).toBe('ready');
  });
});

describe('server-everything over legacy HTTP+SSE', () => {
  it('calls tools; a dead server is a connection failure; a restarted one is reconnected lazily', async () => {
    const s1 = await everything('sse');
    const c = createConnection(
      { id: 'everything-sse[0]', transport: 'sse', url: `http://127.0.0.1:${s1.port}/sse` },
      { reconnectBackoff: { baseMs: 50, maxMs: 50 } },
    );
    cleanups.push(() => c.close());
    expect(textOf(await c.callTool('echo', { message: 'legacy' }, { timeoutMs: 5000 }))).toBe('Echo: legacy');
    await s1.stop();
    const down = await failure(() => c.callTool('echo', { message: 'x' }, { timeoutMs: 2000 }));
    expect(down).toMatchObject({ failureClass: 'connection' });
    await everything('sse', s1.port);
    await expect
      .poll(
        () =>
          c.callTool('echo', { message: 'back' }, { timeoutMs: 2000 }).then(
            (r) => textOf(r),
            (e: Error) => e.message,
          ),
        { timeout: 5000, interval: 60 },
      )
      .toBe('Echo: back');
  });
});
