/**
 * Graceful drain: close() (what SIGTERM runs) stops taking requests — a new one gets 503 — while a call
 * in flight finishes and is answered; then everything closes.
 */
import { describe, expect, it } from 'vitest';
import { startGateway } from '../../../src/gateway/index.js';
import { startMockServer } from '../../../src/mock/index.js';
import { gatewayConfig, legacyClient, textOf } from './helpers.js';

describe('gateway drain', () => {
  it('answers the call in flight, refuses new requests with 503, then closes', async () => {
    const upstream = await startMockServer({ protocol: 'legacy', response: 'json' });
    const gw = await startGateway({
      manager: {
        settings: { callTimeoutMs: 5000 },
        servers: [{ name: 'up', endpoints: [{ url: upstream.url }] }],
      },
      gateway: gatewayConfig({ drain: '5s' }),
      port: 0,
    });
    const c = await legacyClient(gw.url);
    try {
      const call = c.callTool({ name: 'up__sleep', arguments: { ms: 600 } });
      await expect.poll(() => gw.manager.snapshot().endpoints[0]?.inFlight, { timeout: 3000 }).toBe(1);
      const closed = gw.close();
      const late = await fetch(gw.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: '{}',
      });
      expect(late.status).toBe(503); // still listening while draining: 503, as documented
      expect(textOf(await call)).toBe('slept 600ms');
      await closed;
    } finally {
      await c.close().catch(() => {});
      await gw.close();
      await upstream.close();
    }
  });
});
