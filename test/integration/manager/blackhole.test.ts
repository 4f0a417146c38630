/**
 * A replica that accepts TCP connections and never answers (a blackhole): calls end CALL_TIMEOUT within
 * their deadline (never hang), the breaker trips and then rejects at once; a replica that turns into a
 * blackhole mid-run costs a bounded few calls (those already sent to it) and none with hedging. start() is
 * bounded too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.js';
import { isChaosError } from '../../../src/core/errors.js';
import { McpManager } from '../../../src/manager/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { type Forwarder, startForwarder } from '../connection/fixtures/tcp-forwarder.js';
import {
  about,
  type Blackhole,
  drive,
  expectNoLeaks,
  percentile,
  recordEvents,
  resourceCounts,
  startBlackhole,
} from './helpers.js';

const DEADLINE = 1000;

describe('manager against a blackholed endpoint', () => {
  const before = resourceCounts();
  let hole: Blackhole;
  let replicas: MockServerHandle[] = [];
  const managers: McpManager[] = [];
  const forwarders: Forwarder[] = [];

  beforeAll(async () => {
    hole = await startBlackhole();
    replicas = await Promise.all([0, 1].map(() => startMockServer({ response: 'json' })));
  });

  afterAll(async () => {
    await Promise.all(managers.map((m) => m.close()));
    await Promise.all(replicas.map((r) => r.close()));
    await Promise.all(forwarders.map((f) => f.close()));
    await hole?.close();
  });

  it('times out within the deadline, trips the breaker, then rejects fast', async () => {
    const m = new McpManager({
      servers: [{ name: 'bh', endpoints: [{ url: hole.url }] }],
      settings: {
        callTimeoutMs: 250,
        health: { probe: 'none' },
        breaker: { trip: { policy: 'consecutive', failures: 2 }, openForMs: 5000 },
      },
    });
    managers.push(m);
    const rec = recordEvents(m);
    const t0 = performance.now();
    await m.start({ connectTimeoutMs: 300 });
    expect(performance.now() - t0).toBeLessThan(about(300));
    for (let i = 0; i < 2; i++) {
      const s = performance.now();
      const err = await m.callTool('bh', 'echo', { message: 'x' }).catch((e: unknown) => e);
      const ms = performance.now() - s;
      expect(isChaosError(err, 'CALL_TIMEOUT')).toBe(true);
      expect((err as { details: Record<string, unknown> }).details).toMatchObject({
        outcome: 'timeout',
        failureClass: 'timeout',
      });
      expect(ms).toBeGreaterThan(240);
      expect(ms).toBeLessThan(about(250));
    }
    expect(rec.of('breaker').map((b) => b.to)).toEqual(['open']);
    const s = performance.now();
    const err = await m.callTool('bh', 'echo', { message: 'x' }).catch((e: unknown) => e);
    expect(isChaosError(err, 'CIRCUIT_OPEN')).toBe(true);
    expect(performance.now() - s).toBeLessThan(about(0)); // rejected at once
    expect(rec.of('call-end').map((e) => e.outcome)).toEqual(['timeout', 'timeout', 'circuit-open']);
  });

  async function blackholedTrio(hedge: boolean) {
    const fwd = await startForwarder((replicas[0] as MockServerHandle).port);
    forwarders.push(fwd);
    const urls = [`http://127.0.0.1:${fwd.port}/mcp`, ...replicas.map((r) => r.url)];
    const m = new McpManager({
      servers: [{ name: 'mix', endpoints: urls.map((url) => ({ url })) }],
      settings: {
        callTimeoutMs: DEADLINE,
        health: { intervalMs: 100, timeoutMs: 300, jitterMs: 10 },
        breaker: { trip: { policy: 'consecutive', failures: 3 }, openForMs: 1000 },
        retry: { attempts: 3, budget: { ratio: 0.5, minPerSecond: 10 } },
        ...(hedge ? { hedge: { percentile: 50, minDelayMs: 20, maxInFlight: 6 } } : {}),
      },
    });
    managers.push(m);
    const rec = recordEvents(m);
    await m.start();
    // Warm-up: 25+ successes (the hedge policy needs 20 latency samples); slow on a busy machine.
    let warmOk = 0;
    for (let i = 0; i < 10 && warmOk < 25; i++) {
      warmOk += (await drive(m, { server: 'mix', concurrency: 4, durationMs: 300, timeoutMs: DEADLINE })).ok;
    }
    expect(warmOk).toBeGreaterThanOrEqual(25);
    fwd.mode = 'blackhole';
    const faultT = systemClock.now();
    const r = await drive(m, {
      server: 'mix',
      concurrency: 6,
      durationMs: 2500, // on a busy machine detection takes longer (stall excuses): calls after it must exist
      timeoutMs: DEADLINE,
      idempotent: true,
    });
    return { m, rec, r, faultT };
  }

  it('fails over from a replica that turns into a blackhole: bounded loss, every call in time', async () => {
    const { rec, r, faultT } = await blackholedTrio(false);
    // Without hedging an attempt sent to the blackhole owns the whole deadline: the calls in flight on it
    // before it is detected time out (a bounded few), everything else succeeds.
    const failed = r.calls - r.ok;
    expect(failed).toBeLessThanOrEqual(12);
    expect(r.ok / r.calls, JSON.stringify(r.byCode)).toBeGreaterThanOrEqual(0.95);
    expect(Object.keys(r.byCode).filter((c) => c !== 'CALL_TIMEOUT')).toEqual([]);
    expect(r.worstOverrunMs).toBeLessThan(about(0) + 0.2 * DEADLINE);
    // Calls started once the blackhole is known (unhealthy or open) avoid it: latency is back to normal.
    const known = Math.min(
      ...rec
        .of('health')
        .filter((h) => h.endpoint === 'mix[0]' && h.to === 'unhealthy' && h.t > faultT)
        .map((h) => h.t),
      ...rec
        .of('breaker')
        .filter((b) => b.endpoint === 'mix[0]' && b.to === 'open' && b.t > faultT)
        .map((b) => b.t),
    );
    expect(Number.isFinite(known)).toBe(true);
    const after = rec.of('call-end').filter((e) => e.t - e.latencyMs > known + 20);
    expect(after.length).toBeGreaterThan(0);
    expect(
      percentile(
        after.map((e) => e.latencyMs),
        99,
      ),
    ).toBeLessThan(DEADLINE / 2);
    expect(after.filter((e) => e.outcome !== 'success')).toEqual([]);
    // Without hedging, a call whose only attempt went into the blackhole is lost.
    const ends = new Map(rec.of('call-end').map((e) => [e.callId, e]));
    const stuck = rec
      .of('attempt-start')
      .filter((a) => a.t > faultT && a.kind === 'first' && a.endpoint === 'mix[0]')
      .map((a) => ends.get(a.callId)?.outcome);
    expect(stuck.length).toBeGreaterThan(0);
    expect(stuck.every((o) => o === 'timeout')).toBe(true);
  });

  it('with hedging, calls whose first attempt went into the blackhole are rescued', async () => {
    const { rec, r, faultT } = await blackholedTrio(true);
    expect(r.calls - r.ok).toBeLessThanOrEqual(5);
    const ends = new Map(rec.of('call-end').map((e) => [e.callId, e]));
    const stuck = rec
      .of('attempt-start')
      .filter((a) => a.t > faultT && a.kind === 'first' && a.endpoint === 'mix[0]')
      .map((a) => ends.get(a.callId));
    expect(stuck.length).toBeGreaterThan(0);
    const rescued = stuck.filter((e) => e?.outcome === 'success');
    expect(rescued.length / stuck.length).toBeGreaterThanOrEqual(0.75);
    expect(rescued.every((e) => e?.endpoint !== 'mix[0]' && (e?.attempts ?? 0) >= 2)).toBe(true);
  });

  it('close() leaves no socket, timer or handle behind', async () => {
    await Promise.all(managers.map((m) => m.close()));
    await Promise.all(replicas.map((r) => r.close()));
    await Promise.all(forwarders.map((f) => f.close()));
    await hole.close();
    await expectNoLeaks(before);
  });
});
