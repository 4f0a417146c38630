import { describe, expect, it } from 'vitest';
import {
  callTable,
  endpointIndex,
  faultWindows,
  relativeT,
  stateAt,
} from '../../../../src/chaos/stats/index.js';
import { HistoryBuilder } from '../invariants/history-builder.js';

describe('relativeT', () => {
  it('rebases absolute payload times only when the origin is a real clock time', () => {
    expect(relativeT({ origin: 0 }, 1200)).toBe(1200);
    expect(relativeT({ origin: 1_700_000_000_000 }, 1_700_000_001_200)).toBe(1200);
    expect(relativeT({ origin: 1_700_000_000_000 }, 1200)).toBe(1200);
  });
});

describe('callTable', () => {
  it('pairs starts and ends and reads absolute deadlines', () => {
    const h = new HistoryBuilder({ origin: 1_700_000_000_000 });
    h.call({ t: 10, latencyMs: 3, timeoutMs: 500 });
    h.call({ t: 20, end: false });
    h.manager({
      type: 'call-end',
      t: 30,
      callId: 99,
      server: 's',
      outcome: 'success',
      latencyMs: 1,
      attempts: 1,
    });
    const t = callTable(h.build());
    expect(t.size).toBe(2);
    expect(t.deadlineT[0]).toBe(510);
    expect(t.latencyMs[0]).toBe(3);
    expect(t.ok[0]).toBe(1);
    expect(t.endT[1]).toBeNaN();
    expect(t.orphanEnds).toHaveLength(1);
  });
});

describe('faultWindows', () => {
  it('prefers the runner events to the plan and runs open-ended faults to the end of load', () => {
    const h = new HistoryBuilder({ servers: { s: 2 }, durationMs: 5000 });
    h.fault({ name: 'a', endpoints: ['s[0]'], startT: 1000, endT: 2000, events: false });
    h.event({
      type: 'fault',
      t: 1010,
      fault: 'a',
      endpoint: 's[0]',
      action: 'inject',
      kind: 'toxic',
      detail: 'timeout',
    });
    h.event({
      type: 'fault',
      t: 2030,
      fault: 'a',
      endpoint: 's[0]',
      action: 'rollback',
      kind: 'toxic',
      detail: 'timeout',
    });
    h.fault({ name: 'b', endpoints: ['s[1]'], startT: 3000 });
    const ws = faultWindows(h.build());
    expect(ws.map((w) => [w.fault, w.endpoint, w.startT, w.endT, w.openEnded, w.server])).toEqual([
      ['a', 's[0]', 1010, 2030, false, 's'],
      ['b', 's[1]', 3000, 5000, true, 's'],
    ]);
    expect(ws[0]!.events).toHaveLength(2);
  });
});

describe('endpointIndex', () => {
  it('answers state-at queries, strict or inclusive', () => {
    const h = new HistoryBuilder({ servers: { s: 1 } });
    h.breakerTo(100, 's[0]', 'open').breakerTo(200, 's[0]', 'half-open');
    const rec = endpointIndex(h.build()).get('s[0]')!;
    expect(stateAt(rec.breaker, 50)).toBe('closed');
    expect(stateAt(rec.breaker, 100)).toBe('open');
    expect(stateAt(rec.breaker, 100, false)).toBe('closed');
    expect(stateAt(rec.breaker, 500)).toBe('half-open');
  });
});
