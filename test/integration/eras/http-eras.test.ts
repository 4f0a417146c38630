/**
 * The manager against real mock servers of each era over HTTP: modern-only (2026-07-28, v2 SDK), dual
 * (2026-07-28 and 2025 served statelessly) and legacy (2025, v1 SDK, stateful). `auto` speaks 2026-07-28
 * wherever it can; a pinned era that the server does not speak fails with PROTOCOL_VERSION naming what the
 * server supports — never a bare "not connected"; a replica redeployed in the other era on the same port is
 * spoken to in its new era.
 */
import { describe, expect, it } from 'vitest';
import { isChaosError } from '../../../src/core/errors.js';
import { type ManagerEvent, McpManager } from '../../../src/manager/index.js';
import { type MockProtocol, startMockServer } from '../../../src/mock/index.js';
import { fixtures } from '../../helpers/fixtures.js';
import { expectNoLeaks, resourceCounts } from '../../helpers/leaks.js';
import { about } from '../../helpers/timing.js';

const fx = fixtures();

async function mock(protocol: MockProtocol, port = 0) {
  return fx.own(await startMockServer({ protocol, port, response: 'json' }), (x) => x.close());
}

function manager(
  url: string,
  protocol: 'auto' | 'modern' | 'legacy' = 'auto',
  probe: 'ping' | 'none' = 'none',
) {
  const m = fx.own(
    new McpManager({
      servers: [{ name: 's', endpoints: [{ url }] }],
      settings: {
        callTimeoutMs: 2000,
        protocol,
        health: { probe, intervalMs: 100, timeoutMs: 200, jitterMs: 0, healthyAfter: 1, unhealthyAfter: 2 },
        retry: { attempts: 2 },
      },
    }),
    (x) => x.close(),
  );
  const events: ManagerEvent[] = [];
  m.onEvent((e) => events.push(e));
  const eras = () =>
    events.flatMap((e) => (e.type === 'connection' && e.kind === 'era' && e.era ? [e.era] : []));
  return { m, events, eras };
}

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isChaosError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

const text = (r: { content: unknown }) => (r.content as Array<{ text: string }>)[0]?.text;

describe('manager across MCP eras (HTTP)', () => {
  for (const [protocol, era] of [
    ['modern', 'modern'],
    ['dual', 'modern'],
    ['legacy', 'legacy'],
  ] as const) {
    it(`auto against a ${protocol} server speaks ${era}; calls, tool list and health probes work`, async () => {
      const before = resourceCounts();
      const server = await mock(protocol);
      const { m, eras, events } = manager(server.url, 'auto', 'ping');
      await m.start();
      expect(text(await m.callTool('s', 'echo', { message: 'hi' }))).toBe('hi');
      expect((await m.listTools('s')).map((t) => t.name)).toContain('echo');
      expect(eras()).toEqual([era]);
      await expect.poll(() => m.snapshot().endpoints[0]?.health, { timeout: 2000 }).toBe('healthy');
      expect(events.some((e) => e.type === 'health' && e.to === 'unhealthy')).toBe(false);
      await m.close();
      await server.close();
      await expectNoLeaks(before);
    });
  }

  it('legacy against a modern-only server: PROTOCOL_VERSION naming the supported versions, at once', async () => {
    const server = await mock('modern');
    const { m } = manager(server.url, 'legacy');
    await m.start();
    const t0 = performance.now();
    const e = await failure(m.callTool('s', 'echo', { message: 'x' }));
    expect(e.code).toBe('PROTOCOL_VERSION');
    expect(e.message).toMatch(
      /no common protocol version: we speak 2025-11-25 \(protocol: legacy\), the server supports 2026-07-28/,
    );
    expect(e.details).toMatchObject({ outcome: 'protocol', supported: ['2026-07-28'] });
    expect(performance.now() - t0).toBeLessThan(about(200));
  });

  it('modern against a legacy server: PROTOCOL_VERSION, not a connection failure', async () => {
    const server = await mock('legacy');
    const { m } = manager(server.url, 'modern');
    const e = await failure(m.callTool('s', 'echo', { message: 'x' }));
    expect(e.code).toBe('PROTOCOL_VERSION');
    expect(e.message).toMatch(/we speak 2026-07-28 \(protocol: modern\)/);
  });

  it('auto follows a replica redeployed in the other era on the same port, both ways', async () => {
    const first = await mock('legacy');
    const port = first.port;
    const { m, eras } = manager(first.url);
    await m.start();
    expect(text(await m.callTool('s', 'echo', { message: 'a' }))).toBe('a');
    await first.close();
    const second = await mock('modern', port);
    expect(text(await m.callTool('s', 'echo', { message: 'b' }))).toBe('b');
    await second.close();
    await mock('legacy', port);
    expect(text(await m.callTool('s', 'echo', { message: 'c' }))).toBe('c');
    expect(eras()).toEqual(['legacy', 'modern', 'legacy']);
  });
});
