/**
 * Tool names: `toolNames: "{tool}"` keeps the servers' own names; a name two servers share goes to the
 * first server in the config, the other is skipped with a warning naming both (at start as on reload —
 * never an exit); with `{server}` they coexist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../../src/gateway/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { gatewayConfig, legacyClient } from './helpers.js';

describe('gateway tool names', () => {
  let a: MockServerHandle;
  let b: MockServerHandle;
  beforeAll(async () => {
    a = await startMockServer({ protocol: 'legacy', response: 'json' });
    b = await startMockServer({ protocol: 'modern', response: 'json' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });
  const servers = () => [
    { name: 'a', endpoints: [{ url: a.url }] },
    { name: 'b', endpoints: [{ url: b.url }] },
  ];

  it('"{tool}" with two servers sharing a tool name: the first server keeps it, the other skipped with a warning', async () => {
    const warned: string[] = [];
    const log = {
      debug: () => {},
      info: () => {},
      warn: (_o: unknown, m: string) => warned.push(m),
      error: () => {},
    };
    const gw = await startGateway({
      manager: { servers: servers() },
      gateway: gatewayConfig({ toolNames: '{tool}' }),
      port: 0,
      log,
    });
    try {
      const c = await legacyClient(gw.url);
      const names = (await c.listTools()).tools.map((t) => t.name);
      expect(names.filter((n) => n === 'echo')).toHaveLength(1);
      expect(names).toContain('confirm'); // b's own tools are still served
      await c.listTools(); // listed again: warned once, not per listing
      await c.close();
      const echo = warned.filter((m) =>
        /tool name "echo" claimed by a\/echo and b\/echo: the first keeps it/.test(m),
      );
      expect(echo).toHaveLength(1);
      const metrics = await (await fetch(gw.url.replace(/\/mcp$/, '/metrics'))).text();
      expect(metrics).toMatch(/mcp_gateway_catalog_skipped\{kind="tool",reason="collision"\} [1-9]/);
    } finally {
      await gw.close();
    }
  });

  it('"{tool}" with one server keeps its names; "{server}.{tool}" maps and finds them back', async () => {
    const one = await startGateway({
      manager: { servers: servers().slice(0, 1) },
      gateway: gatewayConfig({ toolNames: '{tool}' }),
      port: 0,
    });
    const dotted = await startGateway({
      manager: { servers: servers() },
      gateway: gatewayConfig({ toolNames: '{server}.{tool}' }),
      port: 0,
    });
    try {
      const c1 = await legacyClient(one.url);
      expect((await c1.listTools()).tools.map((t) => t.name)).toContain('echo');
      await c1.close();
      const c2 = await legacyClient(dotted.url);
      const names = (await c2.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['a.echo', 'b.echo', 'b.confirm']));
      const r = await c2.callTool({ name: 'b.add', arguments: { a: 1, b: 2 } });
      expect((r.content as { text: string }[])[0]?.text).toBe('3');
      await c2.close();
    } finally {
      await one.close();
      await dotted.close();
    }
  });
});
