/**
 * Tool names: `toolNames: "{tool}"` keeps the servers' own names, and two servers sharing one is a config
 * error at start (INVALID_CONFIG naming both claims; nothing left running); with `{server}` they coexist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isChaosError } from '../../../src/core/errors.js';
import { startGateway } from '../../../src/gateway/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { expectNoLeaks, resourceCounts } from '../manager/helpers.js';
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

  it('"{tool}" with two servers sharing a tool name: INVALID_CONFIG at start, naming both', async () => {
    const before = resourceCounts();
    const err = await startGateway({
      manager: { servers: servers() },
      gateway: gatewayConfig({ toolNames: '{tool}' }),
      port: 0,
    }).catch((e: unknown) => e);
    expect(isChaosError(err, 'INVALID_CONFIG')).toBe(true);
    expect(String((err as Error).message)).toMatch(/tool "echo" is claimed by a\/echo and b\/echo/);
    await expectNoLeaks(before);
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
