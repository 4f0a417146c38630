/**
 * Property: with `attemptTimeout` ≤ callTimeout / 3, at least one healthy replica and any schedule of
 * blackholes on the others, no idempotent call fails. A blackholed replica accepts a request and never
 * answers; the attempt is abandoned at its own deadline and the call retried elsewhere. The retry budget
 * is set generous here: a budget that denies the retry is a separate, deliberate failure mode.
 * Fake clock and fake connections (the connection keeps an attempt's deadline, as the real ones do).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { SeededRng } from '../../src/core/rng.js';
import { McpManager } from '../../src/manager/index.js';
import { FC_SEED } from '../helpers/seed.js';
import { fakeFactory, settle } from '../unit/manager/support/fakes.js';

const CALL_TIMEOUT_MS = 900;
const HORIZON_MS = 4000;

const interval = fc
  .tuple(fc.integer({ min: 0, max: HORIZON_MS }), fc.integer({ min: 1, max: 2000 }))
  .map(([start, len]) => ({ start, end: start + len }));

const caseArb = fc
  .record({
    replicas: fc.integer({ min: 2, max: 3 }),
    healthy: fc.nat(),
    attemptTimeoutMs: fc.integer({ min: 20, max: CALL_TIMEOUT_MS / 3 }),
    blackholes: fc.array(fc.array(interval, { maxLength: 3 }), { minLength: 3, maxLength: 3 }),
    calls: fc.array(fc.integer({ min: 0, max: HORIZON_MS }), { minLength: 1, maxLength: 40 }),
  })
  .map((c) => ({ ...c, healthy: c.healthy % c.replicas, calls: [...c.calls].sort((a, b) => a - b) }));

describe('attempt deadlines', () => {
  it('no idempotent call fails while one replica stays healthy, whatever blackholes the others', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const clock = new FakeClock(0);
        const { factory, conns } = fakeFactory(clock);
        const m = new McpManager(
          {
            servers: [
              {
                name: 's',
                endpoints: Array.from({ length: c.replicas }, (_, i) => ({
                  url: `http://127.0.0.1:${9000 + i}/mcp`,
                })),
              },
            ],
            settings: {
              callTimeoutMs: CALL_TIMEOUT_MS,
              attemptTimeoutMs: c.attemptTimeoutMs,
              health: { probe: 'none' },
              retry: { attempts: 3, budget: { ratio: 1, minPerSecond: 1000 } },
            },
            clock,
            rng: new SeededRng(1),
          },
          { createConnection: factory },
        );
        for (let i = 0; i < c.replicas; i++) {
          const holes = i === c.healthy ? [] : (c.blackholes[i] ?? []);
          const conn = conns.get(`s[${i}]`);
          if (conn)
            conn.script = () =>
              holes.some((h) => clock.now() >= h.start && clock.now() < h.end)
                ? { hang: true }
                : { ok: true, afterMs: 5 };
        }
        const results: Array<ReturnType<typeof settle>> = [];
        for (const t of c.calls) {
          await clock.advanceAsync(t - clock.now());
          results.push(settle(m.callTool('s', 'echo', {}, { idempotent: true })));
        }
        await clock.advanceAsync(CALL_TIMEOUT_MS + 10);
        const failed = results.filter((r) => r.current?.ok !== true);
        await m.close();
        expect(
          failed.map((r) => (r.current && !r.current.ok ? String(r.current.error) : 'unsettled')),
        ).toEqual([]);
      }),
      { seed: FC_SEED, numRuns: 150 },
    );
  });
});
