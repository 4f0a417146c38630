/**
 * A live fleet of real mock servers under load: a rolling deploy — each of three replicas replaced, one at
 * a time, by a new server (another era, even) — costs zero failed calls; removing an endpoint with a call
 * in flight lets the call finish before its connection closes; nothing is left behind.
 */
import { describe, expect, it } from 'vitest';
import { McpManager } from '../../../src/manager/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { drive, expectNoLeaks, recordEvents, resourceCounts } from './helpers.js';

const HEALTH = { intervalMs: 100, timeoutMs: 300, jitterMs: 10, unhealthyAfter: 2, healthyAfter: 1 };

describe('live fleet on real replicas', () => {
  it('a rolling deploy under load costs zero failed calls', async () => {
    const before = resourceCounts();
    const old = await Promise.all(
      [0, 1, 2].map(() => startMockServer({ response: 'json', latency: { fixedMs: 5 } })),
    );
    const fresh: MockServerHandle[] = [];
    const m = new McpManager({
      servers: [{ name: 'w', endpoints: old.map((r) => ({ url: r.url })) }],
      settings: { callTimeoutMs: 2000, health: HEALTH, fleet: { slowStartMs: 300, drainMs: 2000 } },
    });
    const rec = recordEvents(m);
    try {
      await m.start();
      const load = drive(m, { server: 'w', concurrency: 8, durationMs: 3000, timeoutMs: 2000 });
      for (const [i, r] of old.entries()) {
        await new Promise((res) => setTimeout(res, 300));
        const next = await startMockServer({ response: 'json', latency: { fixedMs: 5 }, protocol: 'modern' });
        fresh.push(next);
        const id = await m.replaceEndpoint(`w[${i}]`, { url: next.url });
        expect(id).toBe(`w[${i + 3}]`);
        await r.close(); // the old replica goes away once drained: nothing may reach it now
      }
      const result = await load;
      expect(result.calls).toBeGreaterThan(0); // how many depends on the machine; none failed is the point
      expect(result.byCode).toEqual({});
      expect(result.ok).toBe(result.calls);
      expect(m.registry.endpoints('w').map((e) => e.id)).toEqual(['w[3]', 'w[4]', 'w[5]']);
      // the new replicas took over (how many calls the last one got before the load ended depends on the machine)
      expect(fresh.some((r) => r.stats().calls > 0)).toBe(true);
      const fleet = rec.events.flatMap((e) => (e.type === 'fleet' ? [`${e.endpoint} ${e.action}`] : []));
      expect(fleet).toEqual([
        'w[3] added',
        'w[3] admitted',
        'w[0] draining',
        'w[0] removed',
        'w[4] added',
        'w[4] admitted',
        'w[1] draining',
        'w[1] removed',
        'w[5] added',
        'w[5] admitted',
        'w[2] draining',
        'w[2] removed',
      ]);
    } finally {
      await m.close();
      await Promise.all([...old, ...fresh].map((r) => r.close()));
    }
    await expectNoLeaks(before);
  });

  it('removing an endpoint with a call in flight lets the call finish', async () => {
    const a = await startMockServer({ response: 'json' });
    const b = await startMockServer({ response: 'json' });
    const m = new McpManager({
      servers: [{ name: 'w', endpoints: [{ url: a.url }, { url: b.url }] }],
      settings: { callTimeoutMs: 5000, health: { probe: 'none' }, balancer: 'round-robin' },
    });
    try {
      await m.start();
      const slow = m.callTool('w', 'sleep', { ms: 600 }); // round-robin: the first call goes to w[0]
      await new Promise((res) => setTimeout(res, 100));
      expect(a.stats().calls).toBe(1);
      const t0 = performance.now();
      await m.removeEndpoint('w[0]', { drainMs: 3000 });
      const waited = performance.now() - t0;
      expect(await slow).toMatchObject({ content: [{ type: 'text', text: 'slept 600ms' }] });
      expect(waited).toBeGreaterThan(350); // the drain waited for it
      expect(waited).toBeLessThan(2000);
      expect(a.stats().sessions).toBe(0); // its session ended with the connection
      await m.callTool('w', 'echo', { message: 'x' });
      expect(a.stats().calls).toBe(1);
    } finally {
      await m.close();
      await Promise.all([a.close(), b.close()]);
    }
  });
});
