/**
 * Property (real sockets, 2026-07-28): under any schedule of broken streams — a request dropped before
 * the server saw it, an answer cut after a few bytes, a connection reset as the answer starts — on two
 * modern replicas, no logical call marked non-idempotent is executed twice, and every call the manager
 * reported successful was executed. Executions are counted from the mocks' execution logs by the logical
 * call id the caller stamps in `_meta` (as the harness's `at-most-once` / `acknowledged-executed` do).
 * Each replica sits behind a loopback forwarder that breaks the n-th request chunk as the schedule says.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { McpManager } from '../../src/manager/index.js';
import { CALL_META_KEY, type MockServerHandle, startMockServer } from '../../src/mock/index.js';
import { FC_SEED } from '../helpers/seed.js';

type Break = 'pass' | 'drop-request' | 'cut-answer' | 'reset-on-answer';

/** Forwards to `port`, breaking the i-th client chunk as `plan[i % plan.length]` says. */
async function breakingForwarder(port: number, plan: readonly Break[]) {
  const sockets = new Set<Socket>();
  let n = 0;
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => {});
    client.once('close', () => sockets.delete(client));
    const upstream = createConnection({ host: '127.0.0.1', port });
    sockets.add(upstream);
    upstream.on('error', () => {});
    upstream.once('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.once('close', () => upstream.destroy());
    let onAnswer: Break = 'pass';
    client.on('data', (chunk) => {
      const b = plan[n++ % plan.length] ?? 'pass';
      if (b === 'drop-request') return client.resetAndDestroy();
      if (b !== 'pass') onAnswer = b;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (onAnswer === 'cut-answer') {
        client.end(chunk.subarray(0, 7));
        upstream.destroy();
      } else if (onAnswer === 'reset-on-answer') {
        client.resetAndDestroy();
        upstream.destroy();
      } else client.write(chunk);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/mcp`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const caseArb = fc.record({
  plans: fc.array(
    fc.array(fc.constantFrom<Break>('pass', 'pass', 'drop-request', 'cut-answer', 'reset-on-answer'), {
      minLength: 1,
      maxLength: 12,
    }),
    { minLength: 2, maxLength: 2 },
  ),
  response: fc.constantFrom<'json' | 'sse'>('json', 'sse'),
  calls: fc.array(fc.boolean(), { minLength: 4, maxLength: 16 }), // idempotent or not
});

describe('stream breaks on 2026-07-28', () => {
  it('no non-idempotent call executes twice; every acknowledged call was executed', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const mocks: MockServerHandle[] = [];
        const forwarders: Array<{ url: string; close(): Promise<void> }> = [];
        let m: McpManager | undefined;
        try {
          for (const plan of c.plans) {
            const h = await startMockServer({ protocol: 'modern', response: c.response });
            mocks.push(h);
            forwarders.push(await breakingForwarder(Number(new URL(h.url).port), plan));
          }
          m = new McpManager({
            servers: [{ name: 's', endpoints: forwarders.map((f) => ({ url: f.url })) }],
            settings: {
              protocol: 'modern',
              callTimeoutMs: 1500,
              health: { probe: 'none' },
              breaker: { mode: 'disabled' },
              retry: { attempts: 4, budget: { ratio: 1, minPerSecond: 1000 } },
            },
          });
          await m.start().catch(() => {});
          const manager = m;
          const outcomes = await Promise.all(
            c.calls.map((idempotent, i) =>
              manager
                .callTool('s', 'add', { a: i, b: 1 }, { idempotent, meta: { [CALL_META_KEY]: `c${i}` } })
                .then(
                  (r) => !r.isError,
                  () => false,
                ),
            ),
          );
          const executed = new Map<string, number>();
          for (const h of mocks)
            for (const e of h.executions().executions)
              if (e.call !== undefined) executed.set(e.call, (executed.get(e.call) ?? 0) + 1);
          c.calls.forEach((idempotent, i) => {
            const runs = executed.get(`c${i}`) ?? 0;
            if (!idempotent)
              expect(runs, `non-idempotent c${i} executed ${runs} times`).toBeLessThanOrEqual(1);
            if (outcomes[i]) expect(runs, `acknowledged c${i} never executed`).toBeGreaterThanOrEqual(1);
          });
        } finally {
          await m?.close();
          await Promise.all(forwarders.map((f) => f.close()));
          await Promise.all(mocks.map((h) => h.close()));
        }
      }),
      { numRuns: 25, seed: FC_SEED },
    );
  }, 120_000);
});
