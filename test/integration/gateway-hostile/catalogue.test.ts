/**
 * Upstream catalogues that cannot hurt. Before: a name two upstream tools shared made the gateway refuse to
 * start (exit 2) while the same on reload passed silently; an endless `nextCursor` kept start and every
 * client's `tools/list` paging for seconds and filled memory; names with control characters, bidi
 * overrides, spaces or 10,000 characters were listed and callable as they came; an upstream whose
 * `tools/list` never answered made start take 24 s and every client's `tools/list` 10 s. Now every such
 * item is skipped with one warning and counted, the rest of the fleet is served, and start is not held up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHandle, startGateway } from '../../../src/gateway/index.js';
import { LIST_WAIT_MS } from '../../../src/gateway/tool-lists.js';
import { MAX_LIST_PAGES } from '../../../src/manager/connection/listing-bounds.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { about } from '../../helpers/timing.js';
import { gatewayConfig, legacyClient } from '../gateway/helpers.js';
import { type HostileServer, startHostileServer } from '../hostile/hostile-http.js';

const BAD_NAMES = ['new\nline', 'bidi\u202Eevil', 'zero\u200Bwidth', 'with space', 'x'.repeat(10_000)];

describe('gateway: upstream catalogues that cannot hurt', () => {
  let good: MockServerHandle;
  let endless: HostileServer;
  let odd: HostileServer;
  let gw: GatewayHandle;
  const warned: string[] = [];

  beforeAll(async () => {
    good = await startMockServer({ protocol: 'legacy', response: 'json' });
    endless = await startHostileServer({ kind: 'ok' }, { tools: [{ name: 'again' }], endlessTools: true });
    odd = await startHostileServer(
      { kind: 'ok' },
      {
        tools: [
          ...BAD_NAMES.map((name) => ({ name })),
          { name: 'fine' },
          { name: 'twice' },
          { name: 'twice' },
        ],
      },
    );
    gw = await startGateway({
      manager: {
        // paging 100 pages takes a busy machine more than the default 1 s deadline: the bound must end it
        settings: { health: { probe: 'none' }, callTimeoutMs: 15_000 },
        servers: [
          { name: 'weather', endpoints: [{ url: good.url }] },
          { name: 'endless', endpoints: [{ url: endless.url }] },
          { name: 'odd', endpoints: [{ url: odd.url }] },
        ],
      },
      gateway: gatewayConfig(),
      port: 0,
      log: { debug: () => {}, info: () => {}, warn: (_o, m) => warned.push(m), error: () => {} },
    });
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
    await good?.close();
    await endless?.close();
    await odd?.close();
  });

  it('an endless nextCursor: paging stops at the bound, that server is left out with a warning', async () => {
    // at start: one listing by the manager, one by the catalogue, each stopped at the bound
    await expect
      .poll(() => warned.some((m) => /^endless: its tool list was refused/.test(m)), { timeout: 15_000 })
      .toBe(true);
    const atStart = endless.toolPages;
    expect(atStart).toBeLessThanOrEqual(2 * MAX_LIST_PAGES);
    const c = await legacyClient(gw.url);
    try {
      for (let i = 0; i < 3; i++) {
        const names = (await c.listTools()).tools.map((t) => t.name);
        expect(names).toContain('weather__echo');
        expect(names.some((n) => n.startsWith('endless__'))).toBe(false);
      }
    } finally {
      await c.close();
    }
    // clients' listings do not page it again (left out for a while, then asked again)
    expect(endless.toolPages).toBe(atStart);
    expect(warned.filter((m) => /^endless: its tool list was refused/.test(m))).toHaveLength(1);
  });

  it('names outside the rules and a name listed twice: skipped with one warning each, the rest served', async () => {
    const c = await legacyClient(gw.url);
    try {
      // (on a busy machine its list may come after start: clients are told, and list again)
      const odds = async () =>
        (await c.listTools()).tools
          .map((t) => t.name)
          .filter((n) => n.startsWith('odd__'))
          .sort();
      await expect.poll(odds, { timeout: 10_000 }).toEqual(['odd__fine', 'odd__twice']);
      await c.listTools();
    } finally {
      await c.close();
    }
    expect(warned.filter((m) => /breaks MCP's naming rules/.test(m))).toHaveLength(BAD_NAMES.length);
    expect(warned.filter((m) => /"odd__twice" claimed by odd\/twice and odd\/twice/.test(m))).toHaveLength(1);
    const metrics = await (await fetch(gw.url.replace(/\/mcp$/, '/metrics'))).text();
    expect(
      metrics,
      metrics
        .split('\n')
        .filter((l) => l.includes('skipped'))
        .join('\n'),
    ).toMatch(/mcp_gateway_catalog_skipped\{kind="tool",reason="invalid-name"\} 5/);
    expect(metrics).toMatch(/mcp_gateway_catalog_skipped\{kind="tool",reason="unlisted"\} 1/);
  });

  it('an upstream whose tools/list never answers: start waits at most LIST_WAIT_MS, listings not at all, /readyz names it', async () => {
    const hang = await startHostileServer({ kind: 'ok' }, { hangToolsList: true });
    const t0 = performance.now();
    const g = await startGateway({
      manager: {
        settings: { health: { probe: 'none' }, callTimeoutMs: 30_000 },
        servers: [
          { name: 'weather', endpoints: [{ url: good.url }] },
          { name: 'hang', endpoints: [{ url: hang.url }] },
        ],
      },
      gateway: gatewayConfig(),
      port: 0,
    });
    try {
      // (its call timeout is 30 s: before, start waited that long)
      expect(performance.now() - t0).toBeLessThan(about(2 * LIST_WAIT_MS));
      const ready = await fetch(g.url.replace(/\/mcp$/, '/readyz'));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ unlisted: ['hang'] });
      const c = await legacyClient(g.url);
      try {
        const t1 = performance.now();
        const names = (await c.listTools()).tools.map((t) => t.name);
        expect(performance.now() - t1).toBeLessThan(LIST_WAIT_MS); // it does not wait for the silent one
        expect(names).toContain('weather__echo');
      } finally {
        await c.close();
      }
    } finally {
      await g.close();
      await hang.close();
    }
  });
});
