import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { isChaosError } from '../../../../src/core/errors.js';
import { SeededRng } from '../../../../src/core/rng.js';
import {
  type DeepPartial,
  type ManagerEvent,
  McpManager,
  type ResilienceSettings,
} from '../../../../src/manager/index.js';
import { eventProblems, type FakeConnection, fakeFactory, settle } from '../support/fakes.js';

const managers: McpManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.close();
});

function setup(settings: DeepPartial<ResilienceSettings> = {}, replicas = 3, clock = new FakeClock(1000)) {
  const { factory, conns } = fakeFactory(clock);
  const m = new McpManager(
    {
      servers: [
        {
          name: 's',
          endpoints: Array.from({ length: replicas }, (_, i) => ({
            url: `http://127.0.0.1:${9000 + i}/mcp`,
          })),
          settings,
        },
      ],
      settings: { health: { probe: 'none' }, balancer: 'round-robin' },
      clock,
      rng: new SeededRng(7),
    },
    { createConnection: factory },
  );
  managers.push(m);
  const events: ManagerEvent[] = [];
  m.onEvent((e) => events.push(e));
  const conn = (i: number) => conns.get(`s[${i}]`) as FakeConnection;
  const of = <T extends ManagerEvent['type']>(type: T) =>
    events.filter((e): e is Extract<ManagerEvent, { type: T }> => e.type === type);
  return { clock, m, conn, events, of };
}

function codeOf(box: { current: { ok: boolean; error?: unknown } | undefined }): string | undefined {
  const c = box.current;
  if (!c || c.ok) return undefined;
  return isChaosError(c.error) ? c.error.code : String(c.error);
}

describe('call pipeline', () => {
  it('a successful call emits call-start, one attempt and call-end, in order', async () => {
    const { clock, m, events, of } = setup();
    const r = settle(m.callTool('s', 'echo', { x: 1 }));
    await clock.advanceAsync(5);
    expect(r.current).toMatchObject({ ok: true, value: { content: [{ type: 'text' }] } });
    expect(events.map((e) => e.type)).toEqual(['call-start', 'attempt-start', 'attempt-end', 'call-end']);
    expect(of('call-start')[0]).toMatchObject({
      callId: 1,
      server: 's',
      tool: 'echo',
      idempotent: false,
      t: 1000,
      deadline: 2000,
    });
    expect(of('attempt-start')[0]).toMatchObject({
      attempt: 1,
      kind: 'first',
      trial: false,
      endpoint: 's[0]',
    });
    expect(of('attempt-end')[0]).toMatchObject({ outcome: 'success', latencyMs: 5 });
    expect(of('call-end')[0]).toMatchObject({
      outcome: 'success',
      attempts: 1,
      endpoint: 's[0]',
      latencyMs: 5,
    });
    expect(m.snapshot().calls).toEqual({ started: 1, succeeded: 1, failed: 0, retries: 0, rejected: 0 });
    expect(eventProblems(events)).toEqual([]);
  });

  it('passes the remaining deadline and the idempotent flag to the connection', async () => {
    const { clock, m, conn } = setup({ callTimeoutMs: 300 });
    conn(0).script = () => ({ fail: 'connection', afterMs: 40 });
    const r = settle(m.callTool('s', 'echo', {}, { idempotent: true }));
    await clock.advanceAsync(300);
    expect(r.current?.ok).toBe(true);
    expect(conn(0).calls[0]).toMatchObject({ timeoutMs: 300, idempotent: true });
    const retry = conn(1).calls[0];
    expect(retry?.timeoutMs).toBeCloseTo(1300 - (retry?.t ?? 0), 6);
    expect(retry?.timeoutMs).toBeLessThan(260);
  });

  it('fails an idempotent call over to the other endpoints, each tried once, then gives up', async () => {
    const { clock, m, conn, of, events } = setup({ retry: { attempts: 3 } });
    for (const i of [0, 1, 2]) conn(i).script = () => ({ fail: 'server-5xx', afterMs: 10 });
    const r = settle(m.callTool('s', 'echo', {}, { idempotent: true }));
    await clock.advanceAsync(1000);
    expect(codeOf(r)).toBe('SERVER_ERROR');
    const err = (r.current as { error: { details: Record<string, unknown> } }).error;
    expect(err.details).toMatchObject({ outcome: 'server-5xx', failureClass: 'server-5xx', attempts: 3 });
    const starts = of('attempt-start');
    expect(starts.map((a) => a.kind)).toEqual(['first', 'retry', 'retry']);
    expect(new Set(starts.map((a) => a.endpoint)).size).toBe(3);
    expect(of('call-end')[0]).toMatchObject({ outcome: 'server-5xx', attempts: 3 });
    expect(m.snapshot().calls).toMatchObject({ started: 1, failed: 1, retries: 2 });
    expect(eventProblems(events)).toEqual([]);
  });

  it('retries on the same endpoint only when no other is eligible', async () => {
    const { clock, m, conn, of } = setup({ retry: { attempts: 3 } }, 1);
    let n = 0;
    conn(0).script = () => (n++ === 0 ? { fail: 'connection', afterMs: 1 } : { ok: true, afterMs: 1 });
    const r = settle(m.callTool('s', 'echo', {}, { idempotent: true }));
    await clock.advanceAsync(500);
    expect(r.current?.ok).toBe(true);
    expect(of('attempt-start').map((a) => [a.endpoint, a.kind])).toEqual([
      ['s[0]', 'first'],
      ['s[0]', 'retry'],
    ]);
  });

  it('never retries a non-idempotent call once the request may have reached the server', async () => {
    const { clock, m, conn, of } = setup();
    conn(0).script = () => ({ fail: 'timeout', afterMs: 50 });
    const r = settle(m.callTool('s', 'echo'));
    await clock.advanceAsync(1000);
    expect(codeOf(r)).toBe('CALL_TIMEOUT');
    expect(of('attempt-start')).toHaveLength(1);
    expect(conn(1).calls).toHaveLength(0);
  });

  it('moves a non-idempotent call to another endpoint when the request was never sent', async () => {
    const { clock, m, conn, of, events } = setup();
    conn(0).script = () => ({ fail: 'connection', afterMs: 1, notSent: true });
    const r = settle(m.callTool('s', 'echo'));
    await clock.advanceAsync(500);
    expect(r.current?.ok).toBe(true);
    expect(of('attempt-start').map((a) => [a.endpoint, a.kind])).toEqual([
      ['s[0]', 'first'],
      ['s[1]', 'retry'],
    ]);
    expect(eventProblems(events)).toEqual([]);
  });

  it('a denied retry emits retry-denied and fails with the last error', async () => {
    const { clock, m, conn, of } = setup({ retry: { budget: { ratio: 0, minPerSecond: 0 } } });
    conn(0).script = () => ({ fail: 'connection', afterMs: 5 });
    const r = settle(m.callTool('s', 'echo', {}, { idempotent: true }));
    await clock.advanceAsync(100);
    expect(codeOf(r)).toBe('CONNECTION_FAILED');
    expect((r.current as { error: { details: Record<string, unknown> } }).error.details.retryDenied).toBe(
      true,
    );
    expect(of('retry-denied')).toEqual([
      expect.objectContaining({ callId: 1, server: 's', t: 1005, reason: expect.stringMatching(/budget/) }),
    ]);
    expect(of('attempt-start')).toHaveLength(1);
    expect(of('call-end')[0]?.outcome).toBe('connection');
    expect(await m.metricsText()).toContain('mcp_manager_retries_denied_total{server="s"} 1');
  });

  it('ends a hanging call exactly at its deadline; the slot frees when the connection lets go', async () => {
    const { clock, m, conn, of, events } = setup({ callTimeoutMs: 200 });
    for (const i of [0, 1, 2]) conn(i).script = () => ({ hang: true });
    const r = settle(m.callTool('s', 'echo', {}, { idempotent: true, timeoutMs: 120 }));
    await clock.advanceAsync(119);
    expect(r.current).toBeUndefined();
    await clock.advanceAsync(1);
    expect(codeOf(r)).toBe('CALL_TIMEOUT');
    expect(of('call-end')[0]).toMatchObject({ outcome: 'timeout', latencyMs: 120, t: 1120 });
    expect(of('attempt-end')[0]).toMatchObject({ outcome: 'timeout', latencyMs: 120 });
    expect(eventProblems(events)).toEqual([]);
    // The fake, like the real connection, enforces the same deadline: the request is gone, the slot free.
    expect(conn(0).calls[0]?.settled).toBe(true);
    expect(m.snapshot().endpoints[0]?.inFlight).toBe(0);
  });

  it('opens the breaker, rejects while open, and flags the half-open trial', async () => {
    const { clock, m, conn, of, events } = setup(
      { breaker: { trip: { policy: 'consecutive', failures: 2 }, openForMs: 500 } },
      1,
    );
    conn(0).script = () => ({ fail: 'connection', afterMs: 1 });
    for (let i = 0; i < 2; i++) {
      const r = settle(m.callTool('s', 'echo'));
      await clock.advanceAsync(1);
      expect(codeOf(r)).toBe('CONNECTION_FAILED');
    }
    expect(of('breaker').map((b) => [b.from, b.to])).toEqual([['closed', 'open']]);
    const rejected = settle(m.callTool('s', 'echo'));
    await clock.advanceAsync(0);
    expect(codeOf(rejected)).toBe('CIRCUIT_OPEN');
    expect(of('call-end').at(-1)).toMatchObject({ outcome: 'circuit-open', attempts: 0 });
    expect(m.snapshot().calls.rejected).toBe(1);
    await clock.advanceAsync(500);
    expect(of('breaker').map((b) => b.to)).toEqual(['open', 'half-open']);
    conn(0).script = () => ({ ok: true, afterMs: 10 });
    const trial = settle(m.callTool('s', 'echo'));
    const blocked = settle(m.callTool('s', 'echo'));
    await clock.advanceAsync(0);
    expect(codeOf(blocked)).toBe('HALF_OPEN_LIMIT');
    await clock.advanceAsync(10);
    expect(trial.current?.ok).toBe(true);
    expect(of('attempt-start').at(-1)).toMatchObject({ trial: true });
    expect(of('breaker').map((b) => b.to)).toEqual(['open', 'half-open', 'closed']);
    expect(eventProblems(events)).toEqual([]);
  });

  it('stamps a half-open trial after the lazy open → half-open transition its permit caused', async () => {
    // Real clocks move between reads, and a late timer leaves the transition to tryAcquire. A clock that
    // moves on every read and a skip past openFor without firing timers reproduce both.
    class TickingClock extends FakeClock {
      skewMs = 0;
      private ticks = 0;
      override now(): number {
        return super.now() + this.skewMs + ++this.ticks * 0.001;
      }
    }
    const clock = new TickingClock(1000);
    const { m, conn, of } = setup(
      { breaker: { trip: { policy: 'consecutive', failures: 1 }, openForMs: 500 } },
      1,
      clock,
    );
    conn(0).script = () => ({ fail: 'connection', afterMs: 1 });
    const first = settle(m.callTool('s', 'echo'));
    await clock.advanceAsync(1);
    expect(codeOf(first)).toBe('CONNECTION_FAILED');
    expect(of('breaker').map((b) => b.to)).toEqual(['open']);
    clock.skewMs = 600; // past openFor, but the open timer has not fired
    conn(0).script = () => ({ ok: true, afterMs: 1 });
    const trial = settle(m.callTool('s', 'echo'));
    await clock.advanceAsync(0);
    const halfOpen = of('breaker').find((b) => b.to === 'half-open');
    const attempt = of('attempt-start').at(-1);
    expect(halfOpen?.reason).toContain('open wait');
    expect(attempt).toMatchObject({ trial: true });
    expect(attempt!.t).toBeGreaterThanOrEqual(halfOpen!.t);
    await clock.advanceAsync(1);
    expect(trial.current?.ok).toBe(true);
  });

  it('routes around an open endpoint and gives it its half-open trial while others are healthy', async () => {
    const { clock, m, conn, of } = setup(
      { breaker: { trip: { policy: 'consecutive', failures: 1 }, openForMs: 100 } },
      2,
    );
    conn(0).script = () => ({ fail: 'server-5xx', afterMs: 1 });
    await Promise.all([m.callTool('s', 'echo', {}, { idempotent: true }), clock.advanceAsync(50)]);
    expect(of('breaker').map((b) => [b.endpoint, b.to])).toEqual([['s[0]', 'open']]);
    conn(0).script = () => ({ ok: true, afterMs: 1 });
    for (let i = 0; i < 4; i++) await Promise.all([m.callTool('s', 'echo'), clock.advanceAsync(5)]);
    const during = of('attempt-start').filter((a) => a.t < 1100);
    expect(during.filter((a) => a.endpoint === 's[0]')).toHaveLength(1); // only the failed first attempt
    await clock.advanceAsync(100);
    for (let i = 0; i < 4; i++) await Promise.all([m.callTool('s', 'echo'), clock.advanceAsync(5)]);
    const trial = of('attempt-start').find((a) => a.endpoint === 's[0]' && a.trial);
    expect(trial).toBeDefined();
    expect(of('breaker').map((b) => b.to)).toEqual(['open', 'half-open', 'closed']);
  });

  it('rejects with POOL_EXHAUSTED when the bulkhead and its queue are full', async () => {
    const { clock, m, conn, events } = setup({ pool: { maxInFlight: 1, queue: 1, acquireTimeoutMs: 50 } }, 1);
    conn(0).script = () => ({ ok: true, afterMs: 100 });
    const a = settle(m.callTool('s', 'echo'));
    const b = settle(m.callTool('s', 'echo'));
    const c = settle(m.callTool('s', 'echo'));
    await clock.advanceAsync(0);
    expect(codeOf(c)).toBe('POOL_EXHAUSTED');
    expect(m.snapshot().endpoints[0]).toMatchObject({ inFlight: 1, queued: 1 });
    await clock.advanceAsync(50);
    expect(codeOf(b)).toBe('POOL_EXHAUSTED');
    await clock.advanceAsync(50);
    expect(a.current?.ok).toBe(true);
    expect(conn(0).calls).toHaveLength(1);
    expect(eventProblems(events)).toEqual([]);
  });

  it('a queued call is served when a slot frees up within acquireTimeout', async () => {
    const { clock, m, conn, of } = setup({ pool: { maxInFlight: 1, queue: 4, acquireTimeoutMs: 500 } }, 1);
    conn(0).script = () => ({ ok: true, afterMs: 30 });
    const a = settle(m.callTool('s', 'echo'));
    const b = settle(m.callTool('s', 'echo'));
    await clock.advanceAsync(60);
    expect(a.current?.ok && b.current?.ok).toBe(true);
    expect(of('attempt-start').map((s) => s.t)).toEqual([1000, 1030]);
  });

  it('the caller cancelling ends the call CALL_CANCELLED without counting against the breaker', async () => {
    const { clock, m, conn, of, events } = setup(
      { breaker: { trip: { policy: 'consecutive', failures: 1 } } },
      1,
    );
    conn(0).script = () => ({ hang: true });
    const ac = new AbortController();
    const r = settle(m.callTool('s', 'echo', {}, { signal: ac.signal }));
    await clock.advanceAsync(20);
    ac.abort();
    await clock.advanceAsync(0);
    expect(codeOf(r)).toBe('CALL_CANCELLED');
    expect(of('attempt-end')[0]?.outcome).toBe('cancelled');
    expect(of('call-end')[0]?.outcome).toBe('cancelled');
    expect(of('breaker')).toEqual([]);
    expect(eventProblems(events)).toEqual([]);
    const pre = new AbortController();
    pre.abort();
    const r2 = settle(m.callTool('s', 'echo', {}, { signal: pre.signal }));
    await clock.advanceAsync(0);
    expect(codeOf(r2)).toBe('CALL_CANCELLED');
  });

  it('tool errors: a result, not counted by the breaker unless configured, success with toolErrorsAreSuccess', async () => {
    const { clock, m, conn, of } = setup({ breaker: { trip: { policy: 'consecutive', failures: 1 } } }, 1);
    conn(0).script = () => ({ ok: true, isError: true, afterMs: 1 });
    const r = settle(m.callTool('s', 'echo'));
    await clock.advanceAsync(1);
    expect(r.current).toMatchObject({ ok: true, value: { isError: true } });
    expect(of('call-end')[0]?.outcome).toBe('tool-error');
    expect(of('attempt-end')[0]?.outcome).toBe('tool-error');
    expect(of('breaker')).toEqual([]);
    const r2 = settle(m.callTool('s', 'echo', {}, { toolErrorsAreSuccess: true }));
    await clock.advanceAsync(1);
    expect(r2.current?.ok).toBe(true);
    expect(of('call-end')[1]?.outcome).toBe('success');
    expect(m.snapshot().calls).toMatchObject({ succeeded: 1, failed: 1 });

    const counted = setup(
      {
        breaker: { trip: { policy: 'consecutive', failures: 1 }, countedFailures: ['tool-error'] },
      },
      1,
    );
    counted.conn(0).script = () => ({ ok: true, isError: true, afterMs: 1 });
    const c1 = settle(counted.m.callTool('s', 'echo', {}, { toolErrorsAreSuccess: true }));
    await counted.clock.advanceAsync(1);
    expect(c1.current?.ok).toBe(true);
    expect(counted.of('breaker')).toEqual([]);
    const c2 = settle(counted.m.callTool('s', 'echo'));
    await counted.clock.advanceAsync(1);
    expect(c2.current?.ok).toBe(true);
    expect(counted.of('breaker').map((b) => b.to)).toEqual(['open']);
  });

  it('ejects an endpoint after consecutive live failures and keeps first attempts off it', async () => {
    const { clock, m, conn, of } = setup({
      ejection: { consecutiveFailures: 2, baseTimeMs: 1000, maxPercent: 50 },
      breaker: { trip: { policy: 'consecutive', failures: 100 } },
    });
    conn(1).script = () => ({ fail: 'connection', afterMs: 1 });
    for (let i = 0; i < 9; i++) {
      const r = settle(m.callTool('s', 'echo', {}, { idempotent: true }));
      await clock.advanceAsync(50);
      expect(r.current?.ok).toBe(true);
    }
    const ej = of('ejection');
    expect(ej[0]).toMatchObject({ endpoint: 's[1]', ejected: true, untilT: expect.any(Number) });
    const after = of('attempt-start').filter((a) => a.t > ej[0]!.t);
    expect(after.length).toBeGreaterThan(0);
    expect(after.some((a) => a.endpoint === 's[1]')).toBe(false);
    expect(m.snapshot().endpoints.find((e) => e.id === 's[1]')?.ejected).toBe(true);
    await clock.advanceAsync(1000);
    expect(of('ejection').at(-1)).toMatchObject({ endpoint: 's[1]', ejected: false });
  });

  it('settles every call when close() runs, leaves no timer, and rejects later calls', async () => {
    const { clock, m, conn, of, events } = setup({}, 2);
    for (const i of [0, 1]) conn(i).script = () => ({ hang: true });
    const calls = [settle(m.callTool('s', 'a')), settle(m.callTool('s', 'b', {}, { idempotent: true }))];
    await clock.advanceAsync(10);
    await m.close();
    for (const c of calls) expect(codeOf(c)).toBe('MANAGER_CLOSED');
    expect(of('call-end').map((e) => e.outcome)).toEqual(['cancelled', 'cancelled']);
    expect(eventProblems(events)).toEqual([]);
    expect(clock.pending()).toBe(0);
    expect(conn(0).closed && conn(1).closed).toBe(true);
    await expect(m.callTool('s', 'a')).rejects.toMatchObject({ code: 'MANAGER_CLOSED' });
    await m.close();
  });

  it('rejects unknown servers and bad timeouts without events', async () => {
    const { m, events } = setup();
    await expect(m.callTool('nope', 'echo')).rejects.toMatchObject({ code: 'UNKNOWN_SERVER' });
    await expect(m.callTool('s', 'echo', {}, { timeoutMs: 0 })).rejects.toThrow(RangeError);
    expect(events).toEqual([]);
  });
});

describe('bulkhead accounting', () => {
  it('a timed-out request keeps its slot until the connection lets go of it', async () => {
    const { clock, m, conn, of, events } = setup(
      { callTimeoutMs: 100, pool: { maxInFlight: 1, queue: 1, acquireTimeoutMs: 1000 } },
      1,
    );
    conn(0).lateMs = 7;
    let n = 0;
    conn(0).script = () => (n++ === 0 ? { hang: true } : { ok: true, afterMs: 1 });
    const a = settle(m.callTool('s', 'a'));
    await clock.advanceAsync(50);
    const b = settle(m.callTool('s', 'b', {}, { timeoutMs: 500 }));
    await clock.advanceAsync(50);
    expect(codeOf(a)).toBe('CALL_TIMEOUT');
    expect(m.snapshot().endpoints[0]?.inFlight).toBe(1); // the connection still holds A
    expect(conn(0).calls).toHaveLength(1);
    await clock.advanceAsync(10);
    expect(b.current?.ok).toBe(true);
    expect(of('attempt-start').map((s) => s.t)).toEqual([1000, 1107]);
    expect(conn(0).peak).toBe(1);
    expect(eventProblems(events)).toEqual([]);
  });
});

describe('per-attempt deadlines and back-pressure (fake clock)', () => {
  it('attemptTimeout: a hung replica costs one attempt, the call succeeds on another within its deadline', async () => {
    const { clock, m, conn, of } = setup({ attemptTimeoutMs: 100, callTimeoutMs: 1000 }, 2);
    conn(0).script = () => ({ hang: true });
    const r = settle(m.callTool('s', 'echo', {}, { idempotent: true }));
    await clock.advanceAsync(100);
    expect(of('attempt-start')[0]).toMatchObject({ endpoint: 's[0]', attemptDeadline: 1100 });
    expect(of('attempt-end')[0]).toMatchObject({ endpoint: 's[0]', outcome: 'timeout', latencyMs: 100 });
    expect(conn(0).calls[0]).toMatchObject({ timeoutMs: 100, settled: true });
    await clock.advanceAsync(250);
    expect(r.current).toMatchObject({ ok: true });
    expect(of('call-end')[0]).toMatchObject({ outcome: 'success', endpoint: 's[1]', attempts: 2 });
    expect(of('call-end')[0]?.latencyMs).toBeLessThan(1000);
  });

  it('attemptTimeout is not used when the call has less time left, and never retries a non-idempotent call', async () => {
    const { clock, m, conn, of } = setup({ attemptTimeoutMs: 400, callTimeoutMs: 300 }, 2);
    conn(0).script = () => ({ hang: true });
    conn(1).script = () => ({ hang: true });
    const r = settle(m.callTool('s', 'echo', {}));
    await clock.advanceAsync(300);
    expect(of('attempt-start')[0]?.attemptDeadline).toBeUndefined();
    expect(codeOf(r)).toBe('CALL_TIMEOUT');
    expect(of('attempt-start')).toHaveLength(1);
  });

  it('Retry-After honoured: the endpoint gets no new calls until then; ignore: it does', async () => {
    for (const mode of ['honour', 'ignore'] as const) {
      const { clock, m, conn, of } = setup({ retryAfter: mode, breaker: { mode: 'disabled' } }, 2);
      conn(0).script = () => ({
        fail: 'overloaded',
        afterMs: 1,
        details: { status: 503, retryAfterMs: 2000 },
      });
      const first = settle(m.callTool('s', 'echo', {}, { idempotent: true }));
      await clock.advanceAsync(20);
      expect(first.current).toMatchObject({ ok: true });
      for (let i = 0; i < 6; i++) {
        void m.callTool('s', 'echo', {}, { idempotent: true }).catch(() => {});
        await clock.advanceAsync(100);
      }
      const to0 = (from: number, to: number) =>
        of('attempt-start').filter((a) => a.endpoint === 's[0]' && a.t >= from && a.t < to).length;
      if (mode === 'honour') {
        expect(of('backpressure')).toEqual([
          expect.objectContaining({ endpoint: 's[0]', untilT: 1001 + 2000, status: 503 }),
        ]);
        expect(to0(1002, 3001)).toBe(0);
        expect(m.snapshot().endpoints[0]?.backoffUntil).toBe(3001);
        await clock.advanceAsync(2500);
        expect(m.snapshot().endpoints[0]?.backoffUntil).toBeUndefined();
        void m.callTool('s', 'echo', {}, { idempotent: true }).catch(() => {});
        void m.callTool('s', 'echo', {}, { idempotent: true }).catch(() => {});
        await clock.advanceAsync(10);
        expect(to0(3001, Number.POSITIVE_INFINITY)).toBeGreaterThan(0);
      } else {
        expect(of('backpressure')).toEqual([]);
        expect(to0(1002, 3001)).toBeGreaterThan(0);
      }
      await m.close();
    }
  });
});

describe('deadlines that hold (fake clock)', () => {
  it('a result handed over after the deadline (the timer could not fire first) is discarded: CALL_TIMEOUT', async () => {
    const { clock, m, conn, of } = setup({ callTimeoutMs: 100 }, 1);
    conn(0).script = () => ({ ok: true, afterMs: 50 });
    const r = settle(m.callTool('s', 'echo', {}, { idempotent: true }));
    // The answer is delivered at +50 ms, but the clock reads past the deadline by then (a long parse).
    const late = clock.now() + 150;
    const now = clock.now.bind(clock);
    clock.now = () => (now() >= 1050 ? late : now());
    await clock.advanceAsync(50);
    clock.now = now;
    expect(codeOf(r)).toBe('CALL_TIMEOUT');
    expect(of('attempt-end')[0]).toMatchObject({ outcome: 'timeout' });
    expect(of('call-end')[0]).toMatchObject({ outcome: 'timeout' });
  });
});
