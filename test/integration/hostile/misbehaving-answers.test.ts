/**
 * Answers that are wrong rather than big: each must fail in its own class and at the right time — at once
 * when no answer can come any more, at the deadline when the server just holds on — and leave nothing behind.
 */
import { describe, expect, it } from 'vitest';
import { isChaosError } from '../../../src/core/errors.js';
import { createConnection } from '../../../src/manager/connection/index.js';
import { McpManager } from '../../../src/manager/index.js';
import { fixtures } from '../../helpers/fixtures.js';
import { expectNoLeaks, resourceCounts } from '../../helpers/leaks.js';
import { about } from '../../helpers/timing.js';
import { type HostileAnswer, type HostileOptions, startHostileServer } from './hostile-http.js';

const fx = fixtures();
const DEADLINE = 1000;

async function outcomeOf(
  answer: HostileAnswer,
  settings: Record<string, unknown> = {},
  opts?: HostileOptions,
  /** Connect first, so the measured time is the call's alone (not the era negotiation's too). */
  warm = false,
) {
  const h = fx.own(await startHostileServer(answer, opts), (x) => x.close());
  const m = fx.own(
    new McpManager({
      servers: [{ name: 'h', endpoints: [{ url: h.url }] }],
      settings: { callTimeoutMs: DEADLINE, health: { probe: 'none' }, retry: { attempts: 1 }, ...settings },
    }),
    (x) => x.close(),
  );
  if (warm) await m.start();
  const t0 = performance.now();
  try {
    await m.callTool('h', 'echo', {});
  } catch (e) {
    if (!isChaosError(e)) throw e;
    const ms = performance.now() - t0;
    await m.close();
    await h.close();
    return { code: e.code, cls: e.details.failureClass, message: e.message, ms };
  }
  throw new Error('expected a failure');
}

describe('misbehaving answers', () => {
  it('an answer with another id fails at once as protocol, not at the deadline', async () => {
    const before = resourceCounts();
    const r = await outcomeOf({ kind: 'wrong-id' }, {}, undefined, true);
    expect([r.code, r.cls]).toEqual(['PROTOCOL_ERROR', 'protocol']);
    expect(r.message).toMatch(/did not carry the request's id/);
    expect(r.ms).toBeLessThan(about(300));
    await expectNoLeaks(before);
  });

  it('a JSON body under an SSE content-type is protocol', async () => {
    const r = await outcomeOf({ kind: 'json-as-sse' });
    expect([r.code, r.cls]).toEqual(['PROTOCOL_ERROR', 'protocol']);
    expect(r.message).toMatch(/text\/event-stream but its body is JSON/);
    expect(r.ms).toBeLessThan(about(300));
  });

  it('a 200 with an HTML content-type is protocol', async () => {
    const r = await outcomeOf({ kind: 'html-200' });
    expect([r.code, r.cls]).toEqual(['PROTOCOL_ERROR', 'protocol']);
    expect(r.ms).toBeLessThan(about(300));
  });

  it('a trickled answer, headers then nothing, endless SSE comments: the deadline holds', async () => {
    for (const answer of [
      { kind: 'trickle', everyMs: 50 },
      { kind: 'headers-then-nothing' },
      { kind: 'sse-comments', everyMs: 20 },
    ] as const) {
      const r = await outcomeOf(answer);
      expect([answer.kind, r.code]).toEqual([answer.kind, 'CALL_TIMEOUT']);
      expect(r.ms).toBeGreaterThanOrEqual(DEADLINE - 5);
      expect(r.ms).toBeLessThan(about(DEADLINE));
    }
  });

  it('headers then nothing, with an idle timeout: stream-idle long before the deadline', async () => {
    const r = await outcomeOf({ kind: 'headers-then-nothing' }, { idleTimeoutMs: 200 });
    expect([r.code, r.cls]).toEqual(['STREAM_IDLE', 'stream-idle']);
    expect(r.ms).toBeLessThan(about(200));
  });

  it('a redirect loop fails within the deadline without following it forever', async () => {
    const r = await outcomeOf({ kind: 'redirect', status: 307, location: '/mcp' });
    expect(r.cls).not.toBe('timeout');
    expect(r.ms).toBeLessThan(about(DEADLINE));
  });

  it('calls joining a connect that times out get the connect failure, not a CALL_TIMEOUT of their own', async () => {
    const before = resourceCounts();
    const h = fx.own(await startHostileServer({ kind: 'ok' }, { hangInitialize: true }), (x) => x.close());
    const c = fx.own(
      createConnection({ id: 'h[0]', transport: 'http', url: h.url }, { connectTimeoutMs: 300 }),
      (x) => x.close(),
    );
    const t0 = performance.now();
    const errors = await Promise.all(
      [0, 1, 2].map(() => c.callTool('echo', {}, { timeoutMs: 3000 }).catch((e: unknown) => e)),
    );
    const ms = performance.now() - t0;
    for (const e of errors) {
      expect(e).toMatchObject({ code: 'CONNECTION_FAILED', details: { failureClass: 'connection' } });
      expect((e as Error).message).toMatch(
        /tools\/call: connect failed: h\[0\]: the first connect did not finish within 300 ms \(connectTimeout\)/,
      );
    }
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(about(300));
    await c.close();
    await h.close();
    await expectNoLeaks(before);
  });
});
