/**
 * Property (fake clock, fake connections): any sequence of adds (some of endpoints that never pass a
 * probe), removes and replaces interleaved with calls and time never loses a call (each call-start has its
 * call-end, attempts consistent), never starts an attempt on an endpoint that is joining, draining or gone,
 * and leaves no timer behind and no connection open after close().
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { SeededRng } from '../../src/core/rng.js';
import { type ManagerEvent, McpManager } from '../../src/manager/index.js';
import { FC_SEED } from '../helpers/seed.js';
import { eventProblems, fakeFactory } from '../unit/manager/support/fakes.js';

type Op =
  | { kind: 'add'; bad: boolean }
  | { kind: 'remove'; pick: number; drainMs: number }
  | { kind: 'replace'; pick: number; bad: boolean }
  | { kind: 'calls'; n: number; ms: number }
  | { kind: 'advance'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), bad: fc.boolean() }),
  fc.record({
    kind: fc.constant('remove' as const),
    pick: fc.nat(),
    drainMs: fc.integer({ min: 0, max: 300 }),
  }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), bad: fc.boolean() }),
  fc.record({
    kind: fc.constant('calls' as const),
    n: fc.integer({ min: 1, max: 8 }),
    ms: fc.integer({ min: 1, max: 200 }),
  }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 400 }) }),
);

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('live fleet', () => {
  it('never loses a call, never sends to a joining, draining or removed endpoint, leaves nothing behind', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
        const clock = new FakeClock(0);
        const { factory, conns } = fakeFactory(clock);
        const m = new McpManager(
          {
            servers: [{ name: 's', endpoints: [{ url: 'http://a/mcp' }, { url: 'http://b/mcp' }] }],
            settings: {
              callTimeoutMs: 1000,
              health: {
                probe: 'ping',
                intervalMs: 50,
                timeoutMs: 20,
                jitterMs: 0,
                healthyAfter: 1,
                unhealthyAfter: 2,
              },
              fleet: { slowStartMs: 100, drainMs: 200, admitTimeoutMs: 150 },
            },
            clock,
            rng: new SeededRng(7),
          },
          { createConnection: factory },
        );
        const events: ManagerEvent[] = [];
        m.onEvent((e) => events.push(e));
        const serving = new Set(['s[0]', 's[1]']);
        const violations: string[] = [];
        m.onEvent((e) => {
          if (e.type === 'fleet') {
            if (e.action === 'admitted') serving.add(e.endpoint);
            else serving.delete(e.endpoint);
          } else if (e.type === 'attempt-start' && !serving.has(e.endpoint)) {
            violations.push(`attempt of call ${e.callId} on ${e.endpoint}, which does not serve`);
          }
        });
        const pending: Promise<unknown>[] = [];
        const newest = () => [...conns.values()].at(-1);
        const started = m.start();
        clock.advance(10);
        await flush();
        await started;
        for (const op of ops) {
          const ids = m.registry.endpoints('s').map((e) => e.id);
          if (op.kind === 'add' || op.kind === 'replace') {
            const p =
              op.kind === 'add'
                ? m.addEndpoint('s', { url: 'http://new/mcp' })
                : ids.length > 0
                  ? m.replaceEndpoint(ids[op.pick % ids.length] as string, { url: 'http://new/mcp' })
                  : undefined;
            if (p === undefined) continue;
            const c = newest();
            if (op.bad && c) c.pingScript = () => ({ fail: 'connection' });
            pending.push(p.catch(() => {}));
          } else if (op.kind === 'remove') {
            if (ids.length === 0) continue;
            pending.push(
              m.removeEndpoint(ids[op.pick % ids.length] as string, { drainMs: op.drainMs }).catch(() => {}),
            );
          } else if (op.kind === 'calls') {
            for (const c of conns.values()) c.script = () => ({ ok: true, afterMs: op.ms });
            for (let i = 0; i < op.n; i++)
              pending.push(m.callTool('s', 'echo', {}, { idempotent: true }).catch(() => {}));
          }
          const ms = op.kind === 'advance' ? op.ms : 5;
          for (let t = 0; t < ms; t += 5) {
            clock.advance(Math.min(5, ms - t));
            await flush();
          }
        }
        for (let i = 0; i < 200 && clock.pending() > 0; i++) {
          clock.advance(10);
          await flush();
        }
        await m.close();
        await Promise.all(pending);
        expect(violations).toEqual([]);
        expect(eventProblems(events)).toEqual([]);
        expect(clock.pending()).toBe(0);
        for (const c of conns.values()) expect(c.closed, `${c.id} left open`).toBe(true);
      }),
      { numRuns: 120, seed: FC_SEED },
    );
  }, 120_000);
});
