/** A call whose caller did not say whether it may be repeated follows the tool's idempotentHint. */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { SeededRng } from '../../../src/core/rng.js';
import { type ManagerEvent, McpManager } from '../../../src/manager/index.js';
import { type FakeConnection, fakeFactory, settle } from './support/fakes.js';

const managers: McpManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.close();
});

async function make() {
  const clock = new FakeClock(0);
  const { factory, conns } = fakeFactory(clock);
  const m = new McpManager(
    {
      servers: [
        { name: 'w', endpoints: [{ url: 'http://127.0.0.1:1/mcp' }, { url: 'http://127.0.0.1:2/mcp' }] },
      ],
      settings: { health: { probe: 'none' }, balancer: 'round-robin' },
      clock,
      rng: new SeededRng(1),
    },
    { createConnection: factory },
  );
  managers.push(m);
  for (const id of ['w[0]', 'w[1]']) {
    const c = conns.get(id) as FakeConnection;
    c.tools = [
      { name: 'read', inputSchema: { type: 'object' }, annotations: { idempotentHint: true } },
      { name: 'transfer', inputSchema: { type: 'object' }, annotations: { idempotentHint: false } },
    ];
    c.script = () => ({ fail: 'connection', afterMs: 1 });
  }
  const events: ManagerEvent[] = [];
  m.onEvent((e) => events.push(e));
  await Promise.all([m.start(), clock.advanceAsync(1)]);
  return { m, clock, events };
}

describe('idempotentHint', () => {
  it('decides retries when the caller does not say; the caller’s word wins', async () => {
    const { m, clock, events } = await make();
    const starts = () => events.filter((e) => e.type === 'call-start');
    const attemptsOf = (callId: number) =>
      events.filter((e) => e.type === 'attempt-start' && e.callId === callId).length;
    for (const [tool, idempotent, expected] of [
      ['read', undefined, true],
      ['transfer', undefined, false],
      ['unknown', undefined, false],
      ['read', false, false],
      ['transfer', true, true],
    ] as const) {
      const p = settle(m.callTool('w', tool, {}, idempotent === undefined ? {} : { idempotent }));
      await clock.advanceAsync(1000);
      expect(p.current?.ok).toBe(false);
      const start = starts().at(-1);
      expect([tool, idempotent, start?.type === 'call-start' && start.idempotent]).toEqual([
        tool,
        idempotent,
        expected,
      ]);
      expect(attemptsOf((start as { callId: number }).callId) > 1).toBe(expected);
    }
  });
});
