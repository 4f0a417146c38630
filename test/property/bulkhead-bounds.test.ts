/**
 * Model-based property: the bulkhead never has more than maxInFlight slots taken or more than `queue`
 * waiters, grants in FIFO order, and rejects exactly as a simple model says (QUEUE_FULL, POOL_EXHAUSTED
 * after acquireTimeoutMs, CALL_CANCELLED on abort) — under random acquires, releases, aborts and time.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { isChaosError } from '../../src/core/errors.js';
import { Bulkhead, type Release } from '../../src/manager/bulkhead/index.js';
import { FC_SEED } from '../helpers/seed.js';

const seed = FC_SEED;

interface Waiter {
  id: number;
  deadline: number;
  controller: AbortController;
}
interface Model {
  max: number;
  queueMax: number;
  timeoutMs: number;
  now: number;
  nextId: number;
  held: number[];
  queue: Waiter[];
  /** id → expected outcome, in the order they happen. */
  outcomes: string[];
}
interface Real {
  b: Bulkhead;
  clock: FakeClock;
  releases: Map<number, Release>;
  outcomes: string[];
}

const flush = async () => {
  for (let i = 0; i < 6; i++) await Promise.resolve();
};

function check(cond: boolean, msg: string): void {
  if (!cond) throw new Error(msg);
}

function grant(m: Model): void {
  while (m.held.length < m.max && m.queue.length > 0) {
    const w = m.queue.shift()!;
    m.held.push(w.id);
    m.outcomes.push(`${w.id}:granted`);
  }
}

const cmd = (
  name: string,
  run: (m: Model, r: Real) => void,
  pre: (m: Readonly<Model>) => boolean = () => true,
): fc.AsyncCommand<Model, Real> => ({
  check: pre,
  run: async (m, r) => {
    run(m, r);
    await flush();
    check(
      r.b.inFlight <= m.max && r.b.queued <= m.queueMax,
      `bounds: ${r.b.inFlight} in flight, ${r.b.queued} queued`,
    );
    check(r.b.inFlight === m.held.length, `inFlight ${r.b.inFlight}, model ${m.held.length}`);
    check(r.b.queued === m.queue.length, `queued ${r.b.queued}, model ${m.queue.length}`);
    check(
      r.outcomes.join() === m.outcomes.join(),
      `outcomes ${r.outcomes.join()} | model ${m.outcomes.join()}`,
    );
  },
  toString: () => name,
});

const commands = [
  fc.constant(
    cmd('acquire', (m, r) => {
      const id = m.nextId++;
      const controller = new AbortController();
      r.b.acquire(controller.signal).then(
        (release) => {
          r.releases.set(id, release);
          r.outcomes.push(`${id}:granted`);
        },
        (e) => r.outcomes.push(`${id}:${isChaosError(e) ? e.code : String(e)}`),
      );
      if (m.held.length < m.max && m.queue.length === 0) {
        m.held.push(id);
        m.outcomes.push(`${id}:granted`);
      } else if (m.queue.length < m.queueMax) {
        m.queue.push({ id, deadline: m.now + m.timeoutMs, controller });
      } else m.outcomes.push(`${id}:QUEUE_FULL`);
    }),
  ),
  fc.nat().map((i) =>
    cmd(
      `release #${i}`,
      (m, r) => {
        const [id] = m.held.splice(i % m.held.length, 1);
        const release = r.releases.get(id!)!;
        release();
        release(); // idempotent
        grant(m);
      },
      (m) => m.held.length > 0,
    ),
  ),
  fc.nat().map((i) =>
    cmd(
      `abort #${i}`,
      (m) => {
        const [w] = m.queue.splice(i % m.queue.length, 1);
        w!.controller.abort();
        m.outcomes.push(`${w!.id}:CALL_CANCELLED`);
      },
      (m) => m.queue.length > 0,
    ),
  ),
  fc.integer({ min: 0, max: 60 }).map((ms) =>
    cmd(`advance ${ms}`, (m, r) => {
      r.clock.advance(ms);
      m.now += ms;
      const expired = m.queue.filter((w) => w.deadline <= m.now);
      m.queue = m.queue.filter((w) => w.deadline > m.now);
      for (const w of expired) m.outcomes.push(`${w.id}:POOL_EXHAUSTED`);
    }),
  ),
];

describe('bulkhead bounds', () => {
  it('in-flight ≤ maxInFlight, queue ≤ queue size, FIFO, exact rejections', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 100 }),
        fc.commands(commands, { maxCommands: 60, size: 'max' }),
        async (max, queueMax, timeoutMs, cmds) => {
          const clock = new FakeClock(0);
          const b = new Bulkhead(
            { maxInFlight: max, queue: queueMax, acquireTimeoutMs: timeoutMs },
            { clock },
          );
          const model: Model = {
            max,
            queueMax,
            timeoutMs,
            now: 0,
            nextId: 0,
            held: [],
            queue: [],
            outcomes: [],
          };
          await fc.asyncModelRun(
            () => ({ model, real: { b, clock, releases: new Map(), outcomes: [] } }),
            cmds,
          );
        },
      ),
      { seed, numRuns: 150 },
    );
  });
});
