/**
 * Properties of the stall guard (manager/stall): this process's own stalls are not held against endpoints,
 * and yet a dead endpoint is still found.
 * - A healthy fleet (every answer in 5 ms) under any schedule of event-loop stalls, each followed by a quiet
 *   stretch in which calls succeed: no breaker opens, and every attempt that timed out was excused.
 * - An endpoint that never answers opens its breaker after at most failures × (maxExcuses + 1) timed-out
 *   attempts, whatever stalls come with them.
 * Fake clock (`stall` blocks it: overdue timers fire late) and fake connections.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { SeededRng } from '../../src/core/rng.js';
import { type ManagerEvent, McpManager } from '../../src/manager/index.js';
import { FC_SEED } from '../helpers/seed.js';
import { fakeFactory, settle } from '../unit/manager/support/fakes.js';

const CALL_TIMEOUT_MS = 200;
const FAILURES = 2;
const MAX_EXCUSES = 3;

function fleet(replicas: number) {
  const clock = new FakeClock(0);
  const { factory, conns } = fakeFactory(clock);
  const m = new McpManager(
    {
      servers: [
        {
          name: 's',
          endpoints: Array.from({ length: replicas }, (_, i) => ({
            url: `http://127.0.0.1:${9000 + i}/mcp`,
          })),
        },
      ],
      settings: {
        callTimeoutMs: CALL_TIMEOUT_MS,
        health: { probe: 'none' },
        balancer: 'round-robin',
        breaker: { trip: { policy: 'consecutive', failures: FAILURES }, openForMs: 60_000 },
        retry: { attempts: 1 },
      },
      clock,
      rng: new SeededRng(1),
      stallGuard: { floorMs: 20, share: 0.2, maxExcuses: MAX_EXCUSES },
    },
    { createConnection: factory },
  );
  const events: ManagerEvent[] = [];
  m.onEvent((e) => events.push(e));
  return { clock, m, conns, events };
}

async function started(m: McpManager, clock: FakeClock): Promise<void> {
  const s = settle(m.start());
  while (s.current === undefined) await clock.advanceAsync(1);
}

const stepArb = fc.record({
  calls: fc.integer({ min: 0, max: 6 }),
  stallMs: fc.integer({ min: 0, max: 800 }),
});

describe('stall guard', () => {
  it('a healthy fleet under local stalls opens no breaker; every timed-out attempt is excused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(stepArb, { minLength: 1, maxLength: 12 }),
        async (replicas, steps) => {
          const { clock, m, events } = fleet(replicas);
          await started(m, clock);
          for (const step of steps) {
            for (let i = 0; i < step.calls; i++) settle(m.callTool('s', 'echo', {}, { idempotent: false }));
            clock.stall(step.stallMs);
            await clock.advanceAsync(CALL_TIMEOUT_MS + 10);
            // a quiet stretch: one call per replica succeeds
            for (let i = 0; i < replicas; i++) settle(m.callTool('s', 'echo', {}, { idempotent: false }));
            await clock.advanceAsync(CALL_TIMEOUT_MS + 10);
          }
          await m.close();
          const timedOut = events.filter((e) => e.type === 'attempt-end' && e.outcome === 'timeout');
          const excused = events.filter((e) => e.type === 'stall' && e.what === 'attempt');
          expect(events.filter((e) => e.type === 'breaker')).toEqual([]);
          expect(excused.length).toBe(timedOut.length);
        },
      ),
      { seed: FC_SEED, numRuns: 60 },
    );
  });

  it('an endpoint that never answers still opens its breaker, whatever stalls come with its timeouts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 800 }), { minLength: 12, maxLength: 12 }),
        async (stalls) => {
          const { clock, m, conns, events } = fleet(1);
          for (const c of conns.values()) c.script = () => ({ hang: true });
          await started(m, clock);
          let timeouts = 0;
          for (const stallMs of stalls) {
            if (m.snapshot().endpoints[0]?.breaker === 'open') break;
            settle(m.callTool('s', 'echo', {}, { idempotent: false }));
            clock.stall(stallMs);
            await clock.advanceAsync(CALL_TIMEOUT_MS + 10);
            timeouts++;
          }
          await m.close();
          expect(events.some((e) => e.type === 'breaker' && e.to === 'open')).toBe(true);
          expect(timeouts).toBeLessThanOrEqual(FAILURES * (MAX_EXCUSES + 1));
        },
      ),
      { seed: FC_SEED, numRuns: 60 },
    );
  });
});
