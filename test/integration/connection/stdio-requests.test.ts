/**
 * Requests over stdio on both request paths: the direct path (system clock: the SDK's own timer is the
 * deadline, no scope of ours) and the scoped path (an injected clock). Each must end a call at its
 * deadline — not before, not much after — honour a caller's cancel, leave no listener on a caller's
 * long-lived signal, and fail pending calls at once on close(), even when the child does not exit.
 */
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { type Clock, systemClock } from '../../../src/core/clock.js';
import { createConnection, type EndpointConnection } from '../../../src/manager/connection/index.js';
import { type MockServerSpec, mockServerCommand } from '../../../src/mock/index.js';
import { about, failure, textOf } from './helpers.js';

const SPAWN_MS = 20_000;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The system clock behind another object: not a SystemClock, so the connection takes the scoped path. */
const wrappedClock: Clock = {
  now: () => systemClock.now(),
  setTimeout: (fn, ms) => systemClock.setTimeout(fn, ms),
  clearTimeout: (h) => systemClock.clearTimeout(h),
  sleep: (ms, signal) => systemClock.sleep(ms, signal),
};

describe.each([
  ['direct (system clock)', systemClock],
  ['scoped (injected clock)', wrappedClock],
] as const)('stdio requests, %s path', (_path, clock) => {
  function stdio(spec: MockServerSpec = {}, closeGraceMs = 500): EndpointConnection {
    const c = createConnection(
      { id: 'local[0]', transport: 'stdio', command: mockServerCommand({ ...spec, transport: 'stdio' }) },
      { clock, connectTimeoutMs: SPAWN_MS, closeGraceMs },
    );
    cleanups.push(() => c.close());
    return c;
  }

  it('a deadline ends the call at the deadline (not before); the child serves on', async () => {
    const c = stdio();
    await c.connect();
    const t = await failure(() => c.callTool('sleep', { ms: 5000 }, { timeoutMs: 200 }));
    expect(t).toMatchObject({ code: 'CALL_TIMEOUT', failureClass: 'timeout' });
    expect(t.error.details).toMatchObject({ op: 'tools/call', timeoutMs: 200 });
    expect(t.ms).toBeGreaterThanOrEqual(195);
    expect(t.ms).toBeLessThan(about(200));
    expect(c.state).toBe('ready');
    expect(textOf(await c.callTool('echo', { message: 'after' }, { timeoutMs: 2000 }))).toBe('after');
  });

  it('ping times out at its deadline on a child that never answers ping', async () => {
    const c = stdio({ answerPing: false });
    await c.connect();
    const t = await failure(() => c.ping({ timeoutMs: 150 }));
    expect(t).toMatchObject({ code: 'CALL_TIMEOUT', failureClass: 'timeout' });
    expect(t.ms).toBeGreaterThanOrEqual(145);
    expect(t.ms).toBeLessThan(about(150));
  });

  it("a caller's cancel ends the call at once; a long-lived signal keeps no listener", async () => {
    const c = stdio();
    await c.connect();
    const ctl = new AbortController();
    const pending = failure(() => c.callTool('sleep', { ms: 5000 }, { timeoutMs: 5000, signal: ctl.signal }));
    setTimeout(() => ctl.abort(), 60);
    const x = await pending;
    expect(x).toMatchObject({ code: 'CALL_CANCELLED' });
    expect(x.error.details.cancelled).toBe(true);
    expect(x.ms).toBeGreaterThanOrEqual(55);
    expect(x.ms).toBeLessThan(about(60));
    // One signal for many concurrent calls (e.g. a run-wide abort signal): one listener on it at most,
    // no MaxListeners warning, and none left once they settled.
    const shared = new AbortController();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    let results: unknown[];
    try {
      const calls = Array.from({ length: 200 }, (_, i) =>
        c.callTool('echo', { message: `m${i}` }, { timeoutMs: 5000, signal: shared.signal }),
      );
      expect(getEventListeners(shared.signal, 'abort').length).toBeLessThanOrEqual(1);
      results = await Promise.all(calls);
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => /MaxListeners/.test(w))).toEqual([]);
    expect(results.map(textOf)).toEqual(Array.from({ length: 200 }, (_, i) => `m${i}`));
    await c.ping({ timeoutMs: 1000, signal: shared.signal });
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    // An already-aborted signal fails at once without sending.
    const pre = await failure(() =>
      c.callTool('echo', { message: 'x' }, { timeoutMs: 1000, signal: ctl.signal }),
    );
    expect(pre.code).toBe('CALL_CANCELLED');
  });

  it('close() fails pending calls at once, even while a stopped child holds close() for its grace', async () => {
    const c = stdio({}, 1500);
    await c.connect();
    const pid = c.pid as number;
    const pending = Array.from({ length: 3 }, () =>
      failure(() => c.callTool('sleep', { ms: 10_000 }, { timeoutMs: 10_000 })),
    );
    await c.ping({ timeoutMs: 1000 }); // the sleeps are on the wire
    process.kill(pid, 'SIGSTOP');
    const t0 = performance.now();
    const closing = c.close();
    const failures = await Promise.all(pending);
    const failedAfter = performance.now() - t0;
    for (const f of failures) {
      expect(f).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
      expect(f.error.details.closed).toBe(true);
    }
    expect(failedAfter).toBeLessThan(about(100));
    await closing;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1400); // the grace was waited out, then SIGKILL
  });
});
