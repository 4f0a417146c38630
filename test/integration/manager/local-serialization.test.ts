/**
 * Arguments this process cannot serialize (circular, a BigInt; on Node 20–24 also nesting 20,000 deep,
 * where the serializer overflows the stack) are the caller's problem, in both eras: one attempt, outcome
 * `protocol` (PROTOCOL_ERROR), no retry on the other replica, nothing held against either (before:
 * `connection`, retried on every replica, breakers opened by one caller's bad arguments).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type ManagerEvent, McpManager } from '../../../src/manager/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';

const servers: MockServerHandle[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('manager: arguments it cannot serialize', () => {
  for (const protocol of ['legacy', 'modern'] as const) {
    it(`${protocol}: one attempt, protocol, no breaker counts it`, async () => {
      const a = await startMockServer({ protocol, response: 'json' });
      const b = await startMockServer({ protocol, response: 'json' });
      servers.push(a, b);
      const m = new McpManager({
        servers: [{ name: 's', endpoints: [{ url: a.url }, { url: b.url }] }],
        settings: { health: { probe: 'none' }, breaker: { trip: { policy: 'consecutive', failures: 2 } } },
      });
      const events: ManagerEvent[] = [];
      m.onEvent((e) => events.push(e));
      try {
        await m.start();
        const circular: Record<string, unknown> = { a: 1 };
        circular.self = circular;
        for (const bad of [circular, 10n, { deep: { n: 1n } }]) {
          const err = await m
            .callTool('s', 'echo', { message: bad as never }, { idempotent: true })
            .catch((e) => e);
          expect(err).toMatchObject({ code: 'PROTOCOL_ERROR' });
        }
        const ends = events
          .filter((e) => e.type === 'attempt-end')
          .map((e) => (e as { outcome: string }).outcome);
        expect(ends).toEqual(['protocol', 'protocol', 'protocol']);
        expect(m.snapshot().endpoints.map((e) => e.breaker)).toEqual(['closed', 'closed']);
        // the snapshot names the era each endpoint speaks (before: only events did)
        expect(m.snapshot().endpoints.map((e) => e.era)).toEqual([protocol, protocol]);
        expect(m.serverDetails('s')).toMatchObject({ era: protocol, capabilities: { tools: {} } });
        expect(await m.callTool('s', 'echo', { message: 'fine' })).toMatchObject({
          content: [{ type: 'text', text: 'fine' }],
        });
      } finally {
        await m.close();
      }
    });
  }
});
