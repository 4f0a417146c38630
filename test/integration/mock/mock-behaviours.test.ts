import { describe, expect, it } from 'vitest';
import type { MockServerSpec } from '../../../src/mock/index.js';
import { fixtures } from '../../helpers/fixtures.js';
import { about } from '../../helpers/timing.js';
import { connectClient, type TestClient, textOf } from './sdk-client.js';

const fx = fixtures();
const start = (spec: MockServerSpec) => fx.mock(spec);
const client = async (url: string): Promise<TestClient> =>
  fx.own(await connectClient(url), (c) => c.close().catch(() => {}));
const echo = (c: TestClient, timeout = 5000) =>
  c.client.callTool({ name: 'echo', arguments: { message: 'x' } }, undefined, { timeout });

describe.each(['sse', 'json'] as const)('HTTP mock behaviours (%s)', (response) => {
  it('crashAfterCalls: serves N calls, then destroys every socket and stops listening', async () => {
    const h = await start({ response, crashAfterCalls: 2 });
    const c = await client(h.url);
    await echo(c);
    await echo(c);
    const started = performance.now();
    // SSE: the stream is cut after its headers, which the bare SDK only notices at its timeout.
    await expect(echo(c, 1500)).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(3000);
    await h.stopped;
    expect(h.crashed).toBe(true);
    expect(h.stats().calls).toBe(3);
    await expect(fetch(h.url, { method: 'POST' })).rejects.toThrow('fetch failed');
  });

  it('hang: calls time out until hang is switched off at runtime', async () => {
    const h = await start({ response, hang: true });
    const c = await client(h.url);
    await expect(echo(c, 200)).rejects.toThrow(/timed out/i);
    await expect(c.client.ping({ timeout: 200 })).rejects.toThrow(/timed out/i);
    h.setBehaviour({ hang: false });
    expect(textOf(await echo(c))).toBe('x');
    await c.client.ping({ timeout: 2000 });
  });

  it('errorRate with a seed: the same isError sequence for the same seed', async () => {
    const run = async (seed: number) => {
      const h = await start({ response, errorRate: 0.5, seed });
      const c = await client(h.url);
      const out: boolean[] = [];
      for (let i = 0; i < 40; i++) out.push((await echo(c)).isError === true);
      return out;
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(a.filter(Boolean).length).toBeGreaterThan(8);
    expect(a.filter(Boolean).length).toBeLessThan(32);
  });

  it('latency: a fixed delay is added before each answer', async () => {
    const h = await start({ response, latency: { fixedMs: 60 } });
    const c = await client(h.url);
    const t0 = performance.now();
    await echo(c);
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(55);
    expect(ms).toBeLessThan(about(60));
  });
});

describe('HTTP mock runtime changes', () => {
  it('setBehaviour validates (RangeError quoting the value)', async () => {
    const h = await start({});
    expect(() => h.setBehaviour({ errorRate: 7 })).toThrow('7');
    h.setBehaviour({ errorRate: 1 });
    const c = await client(h.url);
    expect((await echo(c)).isError).toBe(true);
  });

  it('answerPing false: ping is never answered while tools are', async () => {
    const h = await start({ answerPing: false });
    const c = await client(h.url);
    await expect(c.client.ping({ timeout: 150 })).rejects.toThrow(/timed out/i);
    expect(textOf(await echo(c))).toBe('x');
  });
});
