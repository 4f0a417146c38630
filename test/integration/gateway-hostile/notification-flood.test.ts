/**
 * An upstream flooding one call's stream with notifications. Before: 5,752 of them reached the client
 * and calls to healthy servers slowed to 5 s. Now a call relays at most RELAY_PER_SEC a second (as many at
 * once), drops the rest with one warning, and its answer still comes; other calls are served meanwhile.
 */

import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHandle, startGateway } from '../../../src/gateway/index.js';
import { RELAY_PER_SEC } from '../../../src/gateway/relay-budget.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { gatewayConfig, legacyClient, textOf } from '../gateway/helpers.js';
import { type HostileServer, startHostileServer } from '../hostile/hostile-http.js';

const FLOOD = 5000;

describe('gateway: a notification flood on one call', () => {
  let good: MockServerHandle;
  let noisy: HostileServer;
  let gw: GatewayHandle;
  const warned: string[] = [];

  beforeAll(async () => {
    good = await startMockServer({ protocol: 'legacy', response: 'json' });
    const note =
      '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"flood"}}';
    const events = `event: message\ndata: ${note}\n\n`.repeat(FLOOD);
    const answer =
      'event: message\ndata: {"jsonrpc":"2.0","id":$ID,"result":{"content":[{"type":"text","text":"done"}]}}\n\n';
    noisy = await startHostileServer(
      { kind: 'template', status: 200, contentType: 'text/event-stream', body: Buffer.from(events + answer) },
      { tools: [{ name: 'chatty' }] },
    );
    gw = await startGateway({
      manager: {
        // parsing 5,000 events takes a busy machine more than the default 1 s deadline
        settings: { health: { probe: 'none' }, callTimeoutMs: 15_000 },
        servers: [
          { name: 'weather', endpoints: [{ url: good.url }] },
          { name: 'noisy', endpoints: [{ url: noisy.url }] },
        ],
      },
      gateway: gatewayConfig({ rate: { perClient: '10000/s', burst: 10000 } }),
      port: 0,
      log: { debug: () => {}, info: () => {}, warn: (_o, m) => warned.push(m), error: () => {} },
    });
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
    await good?.close();
    await noisy?.close();
  });

  it('relays a trickle, drops the rest with one warning, and the call is answered', async () => {
    const c = await legacyClient(gw.url);
    let received = 0;
    c.setNotificationHandler(LoggingMessageNotificationSchema, () => {
      received++;
    });
    try {
      const t0 = performance.now();
      const r = await c.callTool({ name: 'noisy__chatty', arguments: {} });
      const seconds = (performance.now() - t0) / 1000;
      const seen = `received ${received} in ${seconds.toFixed(2)} s; warned: ${JSON.stringify(warned)}`;
      expect(textOf(r), seen).toBe('done');
      // the burst, plus what refilled while the call lasted — not the 5,000
      expect(received, seen).toBeGreaterThan(0);
      expect(received, seen).toBeLessThanOrEqual(Math.ceil(RELAY_PER_SEC * (1 + seconds)));
      expect(
        warned.filter((m) => /notifications on one call came faster/.test(m)),
        seen,
      ).toHaveLength(1);
      expect(textOf(await c.callTool({ name: 'weather__echo', arguments: { message: 'calm' } }))).toBe(
        'calm',
      );
    } finally {
      await c.close();
    }
  });
});
