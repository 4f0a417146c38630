import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../../src/chaos/history.js';
import { rebaseHistory } from '../../../../src/chaos/run/history-rebase.js';

const plan = {
  durationMs: 5000,
  endpoints: { 'w[0]': 'w' },
  faults: [
    { name: 'f', endpoints: ['w[0]'], startT: 1000, endT: 2000, kind: 'toxic' as const, detail: 'latency' },
  ],
};

describe('rebaseHistory', () => {
  it('returns new events relative to the origin, payload times too, sorted; the recorded ones stay as they are', () => {
    const recorded: HistoryEvent[] = [
      { type: 'phase', t: 10_000, phase: 'load' },
      {
        type: 'call-start',
        t: 10_050,
        callId: 1,
        server: 'w',
        tool: 'echo',
        idempotent: true,
        deadline: 11_050,
      },
      Object.freeze({
        type: 'ejection',
        t: 10_040,
        endpoint: 'w[0]',
        ejected: true,
        untilT: 12_040,
      } as HistoryEvent),
    ];
    const before = structuredClone(recorded);
    const h = rebaseHistory(recorded, 10_000, plan, new Map());
    expect(h.events).toEqual([
      { type: 'phase', t: 0, phase: 'load' },
      { type: 'ejection', t: 40, endpoint: 'w[0]', ejected: true, untilT: 2040 },
      { type: 'call-start', t: 50, callId: 1, server: 'w', tool: 'echo', idempotent: true, deadline: 1050 },
    ]);
    expect(recorded).toEqual(before);
    expect(h).toMatchObject({ origin: 10_000, durationMs: 5000, endpoints: { 'w[0]': 'w' } });
    expect(h.faults).toEqual(plan.faults);
    expect(h.faults[0]).not.toBe(plan.faults[0]);
  });
});
