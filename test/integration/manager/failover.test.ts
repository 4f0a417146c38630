/**
 * Three real mock replicas (stateful Streamable HTTP, JSON responses) on 127.0.0.1: one is killed, then
 * restarted on the same port. The manager keeps availability high by failing over, detects the dead
 * replica (breaker, health), ends every call within its deadline, and takes the replica back once it
 * returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.js';
import { McpManager } from '../../../src/manager/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { about, drive, eventually, expectNoLeaks, recordEvents, resourceCounts } from './helpers.js';

const HEALTH = { intervalMs: 100, timeoutMs: 300, jitterMs: 10, unhealthyAfter: 2, healthyAfter: 2 };
const TIMEOUT_MS = 1000;

describe('manager failover across real replicas', () => {
  const before = resourceCounts();
  let replicas: MockServerHandle[] = [];
  let m: McpManager;
  let rec: ReturnType<typeof recordEvents>;

  beforeAll(async () => {
    replicas = await Promise.all(
      [0, 1, 2].map(() => startMockServer({ response: 'json', session: 'stateful' })),
    );
    m = new McpManager({
      servers: [{ name: 'w', endpoints: replicas.map((r) => ({ url: r.url })) }],
      settings: {
        callTimeoutMs: TIMEOUT_MS,
        health: HEALTH,
        breaker: { trip: { policy: 'consecutive', failures: 3 }, openForMs: 300 },
        ejection: { consecutiveFailures: 3, baseTimeMs: 500 },
      },
    });
    rec = recordEvents(m);
    await m.start();
  });

  afterAll(async () => {
    await m?.close();
    await Promise.all(replicas.map((r) => r.close()));
  });

  it('serves steady traffic from all three replicas', async () => {
    const r = await drive(m, { server: 'w', concurrency: 4, durationMs: 300, timeoutMs: TIMEOUT_MS });
    expect(r.ok).toBe(r.calls);
    const used = new Set(rec.of('call-end').map((e) => e.endpoint));
    expect(used).toEqual(new Set(['w[0]', 'w[1]', 'w[2]']));
  });

  it('keeps availability with one replica dead, detects it, and ends every call in time', async () => {
    const dead = replicas[0] as MockServerHandle;
    const killedT = systemClock.now();
    await dead.close();
    const idem = drive(m, {
      server: 'w',
      concurrency: 6,
      durationMs: 1200,
      timeoutMs: TIMEOUT_MS,
      idempotent: true,
    });
    const plain = drive(m, {
      server: 'w',
      concurrency: 2,
      durationMs: 1200,
      timeoutMs: TIMEOUT_MS,
      idempotent: false,
    });
    const [a, b] = await Promise.all([idem, plain]);
    expect(a.ok / a.calls, JSON.stringify(a.byCode)).toBeGreaterThanOrEqual(0.99);
    // A refused connection proves the request never left: even non-idempotent calls move on.
    expect(b.ok / b.calls, JSON.stringify(b.byCode)).toBeGreaterThanOrEqual(0.95);
    expect(Math.max(a.worstOverrunMs, b.worstOverrunMs)).toBeLessThan(about(0) + 0.2 * TIMEOUT_MS);
    const unhealthy = rec.of('health').find((h) => h.endpoint === 'w[0]' && h.to === 'unhealthy');
    expect(unhealthy).toBeDefined();
    // Detection bound: unhealthyAfter × (interval + jitter) + timeout, with tolerance.
    const bound = HEALTH.unhealthyAfter * (HEALTH.intervalMs + HEALTH.jitterMs) + HEALTH.timeoutMs;
    expect((unhealthy?.t ?? Number.POSITIVE_INFINITY) - killedT).toBeLessThan(about(bound));
    expect(m.snapshot().endpoints.find((e) => e.id === 'w[0]')?.health).toBe('unhealthy');
    // After detection no first attempt goes to the dead replica.
    const late = rec.of('attempt-start').filter((s) => s.t > (unhealthy?.t ?? 0) + 5 && s.kind === 'first');
    expect(late.length).toBeGreaterThan(0);
    expect(late.filter((s) => s.endpoint === 'w[0]')).toEqual([]);
  });

  it('takes the replica back after it returns on the same port', async () => {
    const port = (replicas[0] as MockServerHandle).port;
    replicas[0] = await startMockServer({ response: 'json', session: 'stateful', port });
    const returnedT = systemClock.now();
    // Traffic keeps flowing (the half-open trial needs some) until the replica is fully back.
    const load = drive(m, { server: 'w', concurrency: 4, durationMs: 1500, timeoutMs: TIMEOUT_MS });
    const back = await eventually(() => {
      const e = m.snapshot().endpoints.find((x) => x.id === 'w[0]');
      return e?.health === 'healthy' && e.breaker === 'closed' && !e.ejected;
    }, 1500);
    const r = await load;
    expect(back).toBe(true);
    expect(r.ok / r.calls, JSON.stringify(r.byCode)).toBeGreaterThanOrEqual(0.99);
    const served = rec
      .of('call-end')
      .filter((e) => e.t > returnedT && e.endpoint === 'w[0]' && e.outcome === 'success');
    expect(served.length).toBeGreaterThan(0);
  });

  it('close() leaves no socket, timer or handle behind', async () => {
    await m.close();
    await Promise.all(replicas.map((r) => r.close()));
    await expectNoLeaks(before);
  });
});
