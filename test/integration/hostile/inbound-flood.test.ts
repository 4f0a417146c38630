/**
 * A server that floods its notification stream: with server→client `ping` requests (each would cost a POST
 * of our answer) or with `tools/list_changed`. Calls must keep their deadlines, memory stays bounded, the
 * excess is dropped and counted, list_changed is coalesced, close() is quick and leaves nothing behind.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { type ManagerEvent, McpManager } from '../../../src/manager/index.js';
import { fixtures } from '../../helpers/fixtures.js';
import { expectNoLeaks, resourceCounts } from '../../helpers/leaks.js';
import { about } from '../../helpers/timing.js';
import { type HostileStream, startHostileServer } from './hostile-http.js';

const fx = fixtures();
const MiB = 1024 * 1024;
const DEADLINE = 1000;

/** Calls every 100 ms for `forMs` while the server floods; what happened. */
async function underFlood(stream: HostileStream, forMs: number) {
  const before = resourceCounts();
  const h = fx.own(await startHostileServer({ kind: 'ok' }, { stream }), (x) => x.close());
  const m = fx.own(
    new McpManager({
      servers: [{ name: 'h', endpoints: [{ url: h.url }] }],
      settings: { callTimeoutMs: DEADLINE, health: { probe: 'none' }, retry: { attempts: 1 } },
    }),
    (x) => x.close(),
  );
  const events: ManagerEvent[] = [];
  m.onEvent((e) => events.push(e));
  const rss0 = process.memoryUsage().rss;
  let peakRss = rss0;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  await m.start();
  const durations: number[] = [];
  let failed = 0;
  const errors: string[] = [];
  const calls: Promise<void>[] = [];
  const end = performance.now() + forMs;
  while (performance.now() < end) {
    const t0 = performance.now();
    calls.push(
      m
        .callTool('h', 'echo', {})
        .then(
          () => {},
          (e: unknown) => {
            failed++;
            errors.push(String((e as Error).message));
          },
        )
        .finally(() => durations.push(performance.now() - t0)),
    );
    await new Promise((r) => setTimeout(r, 100));
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  await Promise.all(calls);
  loop.disable();
  const c0 = performance.now();
  await m.close();
  const closeMs = performance.now() - c0;
  const metrics = await m.metricsText().catch(() => '');
  await h.close();
  await expectNoLeaks(before);
  return {
    events,
    failed,
    calls: durations.length,
    errors,
    worstMs: Math.max(...durations),
    rssGrowth: peakRss - rss0,
    loopMaxMs: loop.max / 1e6,
    closeMs,
    metrics,
    server: h,
  };
}

describe('inbound floods', () => {
  it('60 k server ping requests: calls keep their deadline, few answers are sent, the rest is dropped and counted', async () => {
    const r = await underFlood({ kind: 'ping-flood', count: 60_000 }, 3000);
    // Alone, no call fails; beside the other test files on two busy cores, one may meet its deadline. The
    // old code failed 7 of 9 and ran 466 ms past the deadline.
    expect(r.failed, r.errors.join('\n')).toBeLessThanOrEqual(Math.max(1, Math.floor(r.calls / 10)));
    expect(r.worstMs).toBeLessThan(about(DEADLINE));
    // 20 answers a second (burst 20), plus what a slot-freeing answer lets through: far below 60 k.
    expect(r.server.answers).toBeLessThan(200);
    const drops = r.events.flatMap((e) => (e.type === 'connection' && e.dropped ? [e.dropped.requests] : []));
    expect(drops.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
    expect(r.rssGrowth).toBeLessThan(160 * MiB);
    expect(r.closeMs).toBeLessThan(about(500));
  });

  it('100 k tools/list_changed: a handful of tools-changed events, calls unaffected', async () => {
    const r = await underFlood({ kind: 'list-changed-flood', count: 100_000 }, 2000);
    // Alone, no call fails; beside the other test files on two busy cores, one may meet its deadline. The
    // old code failed 7 of 9 and ran 466 ms past the deadline.
    // (one in 10 %, and at least one: a flood that starves the loop leaves only ~8 calls made in 2 s)
    expect(r.failed, r.errors.join('\n')).toBeLessThanOrEqual(Math.max(1, Math.floor(r.calls / 10)));
    expect(r.worstMs).toBeLessThan(about(DEADLINE));
    expect(r.server.streamed).toBeGreaterThan(20_000); // the flood happened (all of it on a quiet machine)
    const changed = r.events.filter((e) => e.type === 'connection' && e.kind === 'tools-changed').length;
    expect(changed).toBeGreaterThanOrEqual(1);
    expect(changed).toBeLessThan(20); // one per 250 ms window at most
  });
});
