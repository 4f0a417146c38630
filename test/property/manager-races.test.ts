/**
 * Races inside McpManager, explored with fast-check's scheduler: concurrent calls whose connection
 * answers (success, tool error, connection failure, timeout, session loss, 5xx, hang) resolve in every
 * order the scheduler picks, interleaved with clock advances (deadlines, breaker open → half-open),
 * caller cancellations and close(). Invariants:
 *   - every call settles exactly once and emits exactly one call-end, after its attempts' attempt-ends;
 *   - attempts in flight on an endpoint never exceed the bulkhead's maxInFlight (seen by the connection);
 *   - no attempt reaches an open breaker, and half-open admits at most halfOpenTrials trials, all flagged;
 *   - snapshot counters add up, and close() leaves no timer.
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { ChaosError } from '../../src/core/errors.js';
import { SeededRng } from '../../src/core/rng.js';
import {
  type BreakerState,
  type ConnectionFactory,
  type FailureClass,
  type ManagedConnection,
  type ManagerEvent,
  McpManager,
} from '../../src/manager/index.js';
import { FC_SEED } from '../helpers/seed.js';
import { eventProblems } from '../unit/manager/support/fakes.js';

const seed = FC_SEED;

type Answer = 'ok' | 'tool-error' | Exclude<FailureClass, 'tool-error' | 'protocol'> | 'hang';
const answerArb = fc.constantFrom<Answer>(
  'ok',
  'ok',
  'ok',
  'tool-error',
  'connection',
  'timeout',
  'session-lost',
  'server-5xx',
  'hang',
  'hang',
);

type Op =
  | { op: 'call'; idempotent: boolean; timeoutMs: number; cancellable: boolean }
  | { op: 'step'; n: number }
  | { op: 'advance'; ms: number }
  | { op: 'cancel'; which: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('call' as const),
      idempotent: fc.boolean(),
      timeoutMs: fc.integer({ min: 20, max: 200 }),
      cancellable: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('step' as const), n: fc.integer({ min: 1, max: 4 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 80 }) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cancel' as const), which: fc.nat() }) },
);

const MAX_IN_FLIGHT = 2;
const TRIALS = 1;

class RacyConnection implements ManagedConnection {
  active = 0;
  peak = 0;
  private i = 0;
  private readonly pending = new Set<() => void>();
  constructor(
    readonly id: string,
    private readonly s: fc.Scheduler,
    private readonly answers: Answer[],
    private readonly clock: FakeClock,
    /** How late after the request's deadline this connection lets go (real ones are a little late). */
    private readonly lateMs: number,
  ) {}
  connect(): Promise<void> {
    return Promise.resolve();
  }
  ping(): Promise<void> {
    return Promise.resolve();
  }
  listTools(): Promise<Tool[]> {
    return Promise.resolve([]);
  }
  /** Like the real connection: pending requests reject. */
  close(): Promise<void> {
    for (const kill of [...this.pending]) kill();
    return Promise.resolve();
  }
  callTool(
    _tool: string,
    _args: unknown,
    opts: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<CallToolResult> {
    const answer = this.answers[this.i++ % this.answers.length] as Answer;
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    let done = false;
    let timer: ReturnType<FakeClock['setTimeout']> | undefined;
    const finish = () => {
      if (done) return false;
      done = true;
      this.active--;
      opts.signal?.removeEventListener('abort', onAbort);
      this.clock.clearTimeout(timer);
      this.pending.delete(kill);
      return true;
    };
    let rejectNow: (e: unknown) => void = () => {};
    const fail = (code: 'CALL_CANCELLED' | 'CALL_TIMEOUT' | 'CONNECTION_FAILED', cls: FailureClass) => () => {
      if (finish())
        rejectNow(new ChaosError(code, `${this.id}: ${code}`, { details: { failureClass: cls } }));
    };
    const onAbort = fail('CALL_CANCELLED', 'timeout');
    const kill = fail('CONNECTION_FAILED', 'connection');
    this.pending.add(kill);
    // Like the real connection: its own per-request deadline.
    timer = this.clock.setTimeout(fail('CALL_TIMEOUT', 'timeout'), opts.timeoutMs + this.lateMs);
    return new Promise<CallToolResult>((resolve, reject) => {
      rejectNow = reject;
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (answer === 'hang') return;
      this.s.schedule(Promise.resolve(answer), `${this.id}:${answer}`).then(() => {
        if (!finish()) return;
        if (answer === 'ok' || answer === 'tool-error') {
          resolve({
            content: [{ type: 'text', text: 'x' }],
            ...(answer === 'tool-error' ? { isError: true } : {}),
          });
        } else {
          reject(
            new ChaosError('CONNECTION_FAILED', `${this.id}: ${answer}`, {
              details: { failureClass: answer, op: 'tools/call' },
            }),
          );
        }
      });
    });
  }
}

describe('manager races', () => {
  it('every call ends exactly once; bulkhead, breaker and event invariants hold under any interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.array(answerArb, { minLength: 1, maxLength: 8 }), { minLength: 3, maxLength: 3 }),
        fc.array(opArb, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.constantFrom(0, 1, 7),
        async (s, answers, ops, closeEarly, lateMs) => {
          const clock = new FakeClock(0);
          const conns: RacyConnection[] = [];
          const factory: ConnectionFactory = (spec) => {
            const c = new RacyConnection(spec.id, s, answers[spec.index] ?? ['ok'], clock, lateMs);
            conns.push(c);
            return c;
          };
          const m = new McpManager(
            {
              servers: [
                { name: 'r', endpoints: [0, 1, 2].map((i) => ({ url: `http://127.0.0.1:${i + 1}/mcp` })) },
              ],
              settings: {
                health: { probe: 'none' },
                breaker: {
                  trip: { policy: 'consecutive', failures: 2 },
                  openForMs: 50,
                  halfOpenTrials: TRIALS,
                },
                ejection: { consecutiveFailures: 3, baseTimeMs: 40, maxTimeMs: 100 },
                pool: { maxInFlight: MAX_IN_FLIGHT, queue: 4, acquireTimeoutMs: 150 },
                retry: {
                  attempts: 3,
                  budget: { ratio: 0.5, minPerSecond: 2 },
                  backoffMs: { baseMs: 1, maxMs: 5 },
                },
              },
              clock,
              rng: new SeededRng(1),
            },
            { createConnection: factory },
          );
          const events: ManagerEvent[] = [];
          m.onEvent((e) => events.push(e));
          const settled: number[] = [];
          const controllers: AbortController[] = [];
          const promises: Promise<unknown>[] = [];
          let maxManagerInFlight = 0;
          const checkInFlight = () => {
            for (const e of m.snapshot().endpoints)
              maxManagerInFlight = Math.max(maxManagerInFlight, e.inFlight);
          };
          m.onEvent((e) => {
            if (e.type === 'attempt-start') checkInFlight();
          });
          for (const op of ops) {
            if (op.op === 'call') {
              const ac = new AbortController();
              controllers.push(ac);
              const i = promises.length;
              settled.push(0);
              promises.push(
                m
                  .callTool(
                    'r',
                    'echo',
                    {},
                    {
                      idempotent: op.idempotent,
                      timeoutMs: op.timeoutMs,
                      ...(op.cancellable ? { signal: ac.signal } : {}),
                    },
                  )
                  .then(
                    () => {
                      settled[i]!++;
                    },
                    () => {
                      settled[i]!++;
                    },
                  ),
              );
            } else if (op.op === 'step') {
              for (let k = 0; k < op.n && s.count() > 0; k++) await s.waitOne();
            } else if (op.op === 'advance') {
              await clock.advanceAsync(op.ms);
            } else if (controllers.length > 0) {
              controllers[op.which % controllers.length]!.abort();
            }
          }
          if (closeEarly) await m.close();
          // Drain: answer everything scheduled and let every deadline pass.
          for (let round = 0; round < 50 && settled.some((n) => n === 0); round++) {
            await s.waitAll();
            await clock.advanceAsync(50);
          }
          await Promise.all(promises);
          await m.close();

          expect(settled.every((n) => n === 1)).toBe(true);
          expect(eventProblems(events)).toEqual([]);
          const ends = events.filter((e) => e.type === 'call-end');
          expect(ends).toHaveLength(promises.length);
          for (const c of conns) expect(c.peak).toBeLessThanOrEqual(MAX_IN_FLIGHT);
          expect(maxManagerInFlight).toBeLessThanOrEqual(MAX_IN_FLIGHT);
          expect(breakerProblems(events)).toEqual([]);
          const calls = m.snapshot().calls;
          expect(calls.started).toBe(promises.length);
          expect(calls.succeeded + calls.failed + calls.rejected).toBe(promises.length);
          expect(clock.pending()).toBe(0);
        },
      ),
      { seed, numRuns: 150 },
    );
  });
});

/** No attempt on an open breaker; half-open only flagged trials, at most TRIALS at once. */
function breakerProblems(events: ManagerEvent[]): string[] {
  const state = new Map<string, BreakerState>();
  const trials = new Map<string, Set<string>>();
  const out: string[] = [];
  for (const e of events) {
    if (e.type === 'breaker') {
      state.set(e.endpoint, e.to);
      trials.set(e.endpoint, new Set());
    } else if (e.type === 'attempt-start') {
      const st = state.get(e.endpoint) ?? 'closed';
      if (st === 'open' || st === 'forced-open') out.push(`attempt on ${e.endpoint} while ${st}`);
      if (st === 'half-open') {
        if (!e.trial) out.push(`non-trial attempt on half-open ${e.endpoint}`);
        const set = trials.get(e.endpoint) ?? new Set();
        set.add(`${e.callId}:${e.attempt}`);
        trials.set(e.endpoint, set);
        if (set.size > TRIALS) out.push(`${set.size} trials on ${e.endpoint}`);
      } else if (e.trial) out.push(`trial flag on ${st} ${e.endpoint}`);
    } else if (e.type === 'attempt-end') {
      trials.get(e.endpoint)?.delete(`${e.callId}:${e.attempt}`);
    }
  }
  return out;
}
