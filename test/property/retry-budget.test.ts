/**
 * Model-based property: the retry budget is never exceeded — a retry is granted exactly when
 * active < max(minPerSecond, ratio × calls noted in the last second, 100 ms buckets) — under random
 * interleavings of calls, retries, releases (including double releases) and time.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { RetryBudget, type RetryToken } from '../../src/manager/retry/index.js';
import { FC_SEED } from '../helpers/seed.js';

const seed = FC_SEED;

interface Model {
  ratio: number;
  min: number;
  now: number;
  requests: number[];
  active: number;
  tokens: RetryToken[];
  released: RetryToken[];
}
interface Real {
  budget: RetryBudget;
  clock: FakeClock;
}

function recent(m: Model): number {
  const oldest = Math.floor(m.now / 100) - 9;
  return m.requests.filter((t) => Math.floor(t / 100) >= oldest).length;
}

function check(cond: boolean, msg: string): void {
  if (!cond) throw new Error(msg);
}

const cmd = (
  name: string,
  run: (m: Model, r: Real) => void,
  pre: (m: Readonly<Model>) => boolean = () => true,
) => ({
  check: pre,
  run: (m: Model, r: Real) => {
    run(m, r);
    check(r.budget.active === m.active, `active ${r.budget.active}, model ${m.active}`);
    check(r.budget.recentRequests === recent(m), `recent ${r.budget.recentRequests}, model ${recent(m)}`);
  },
  toString: () => name,
});

const commands = [
  fc.integer({ min: 1, max: 10 }).map((k) =>
    cmd(`note ×${k}`, (m, r) => {
      for (let i = 0; i < k; i++) {
        r.budget.noteRequest();
        m.requests.push(m.now);
      }
    }),
  ),
  fc.constant(
    cmd('acquire', (m, r) => {
      const limit = Math.max(m.min, m.ratio * recent(m));
      const token = r.budget.tryAcquireRetry();
      check(
        (token !== undefined) === m.active < limit,
        `granted=${token !== undefined} at active ${m.active}, limit ${limit}`,
      );
      if (token) {
        m.active++;
        m.tokens.push(token);
        check(m.active - 1 < limit, 'budget exceeded');
      }
    }),
  ),
  fc.nat().map((i) =>
    cmd(
      `release #${i}`,
      (m) => {
        const [t] = m.tokens.splice(i % m.tokens.length, 1);
        t!.release();
        m.active--;
        m.released.push(t!);
      },
      (m) => m.tokens.length > 0,
    ),
  ),
  fc.nat().map((i) =>
    cmd(
      `re-release #${i}`,
      (m) => m.released[i % m.released.length]!.release(),
      (m) => m.released.length > 0,
    ),
  ),
  fc.integer({ min: 0, max: 600 }).map((ms) =>
    cmd(`advance ${ms}`, (m, r) => {
      r.clock.advance(ms);
      m.now += ms;
    }),
  ),
];

describe('retry budget is never exceeded', () => {
  it('grants exactly when active < max(minPerSecond, ratio × recent calls)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 0.1, 0.2, 0.5, 1),
        fc.integer({ min: 0, max: 4 }),
        fc.commands(commands, { maxCommands: 100, size: 'max' }),
        (ratio, min, cmds) => {
          const clock = new FakeClock(0);
          const budget = new RetryBudget({ ratio, minPerSecond: min }, { clock });
          const model: Model = { ratio, min, now: 0, requests: [], active: 0, tokens: [], released: [] };
          fc.modelRun(() => ({ model, real: { budget, clock } }), cmds);
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});
