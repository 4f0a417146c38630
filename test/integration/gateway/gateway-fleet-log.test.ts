/**
 * The gateway says what happens to its fleet: a replica that dies is logged (warn) as disconnected,
 * unhealthy, one that comes back as healthy again (info) — each line with its
 * server and endpoint; before, nothing was logged at the default level but listening/draining/stopped.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type GatewayHandle, startGateway } from '../../../src/gateway/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { eventually } from '../manager/helpers.js';
import { gatewayConfig, modernClient, textOf } from './helpers.js';

type Line = { level: string; msg: string; obj: Record<string, unknown> };

describe('gateway: replica state changes in its log', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });

  it('a replica dies and comes back: warn lines then info lines, with server and endpoint', async () => {
    const a = await startMockServer({ protocol: 'legacy', response: 'json' });
    let b: MockServerHandle = await startMockServer({ protocol: 'legacy', response: 'json' });
    closers.push(() => a.close());
    const lines: Line[] = [];
    const at = (level: string) => (obj: Record<string, unknown>, msg: string) =>
      lines.push({ level, msg, obj });
    const gw: GatewayHandle = await startGateway({
      manager: {
        settings: {
          callTimeoutMs: 2000,
          health: {
            probe: 'ping',
            intervalMs: 100,
            timeoutMs: 500,
            jitterMs: 0,
            unhealthyAfter: 2,
            healthyAfter: 2,
          },
          breaker: { trip: { policy: 'consecutive', failures: 1 }, openForMs: 200 },
        },
        servers: [{ name: 'weather', endpoints: [{ url: a.url }, { url: b.url }] }],
      },
      gateway: gatewayConfig(),
      port: 0,
      log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    });
    closers.push(() => gw.close());
    const port = Number(new URL(b.url).port);
    await b.close();
    const has = (level: string, msg: string) =>
      lines.some((l) => l.level === level && l.msg === msg && l.obj.endpoint === 'weather[1]');
    expect(await eventually(() => has('warn', 'replica unhealthy'), 10_000)).toBe(true);
    // meanwhile calls are served by weather[0]
    const c = await modernClient(gw.url);
    closers.push(() => c.close());
    for (let i = 0; i < 4; i++)
      expect(textOf(await c.callTool({ name: 'weather__echo', arguments: { message: 'hi' } }))).toBe('hi');
    b = await startMockServer({ protocol: 'legacy', response: 'json', port });
    closers.push(() => b.close());
    expect(await eventually(() => has('info', 'replica healthy'), 10_000)).toBe(true);
    const line = lines.find((l) => l.msg === 'replica unhealthy');
    expect(line?.obj).toMatchObject({
      server: 'weather',
      endpoint: 'weather[1]',
      from: 'healthy',
      to: 'unhealthy',
    });
    expect(line?.obj.reason).toMatch(/probe failures/);
    expect(lines.filter((l) => l.level === 'info' || l.level === 'warn').map((l) => l.msg)).toEqual(
      expect.arrayContaining(['replica unhealthy', 'replica healthy', 'replica era']),
    );
    // calls and attempts are metrics, never log lines
    expect(lines.some((l) => /call|attempt/.test(l.msg))).toBe(false);
  });
});
