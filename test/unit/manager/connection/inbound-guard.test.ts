import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import {
  type InboundDrops,
  InboundGuard,
  type InboundLimits,
} from '../../../../src/manager/connection/inbound-guard.js';

const LIMITS: InboundLimits = {
  maxConcurrent: 2,
  maxQueued: 3,
  requestsPerSec: 10,
  notificationsPerSec: 5,
  coalesceMs: 100,
  reportEveryMs: 1000,
};

function setup(limits = LIMITS) {
  const clock = new FakeClock(0);
  const reports: InboundDrops[] = [];
  const guard = new InboundGuard(clock, limits, (d) => reports.push(d));
  const delivered: string[] = [];
  const send = (m: { id?: unknown; method?: string }, tag: string) =>
    guard.receive(m, () => delivered.push(tag));
  return { clock, guard, reports, delivered, send };
}

describe('InboundGuard (fake clock)', () => {
  it('answers to our own requests always pass', () => {
    const { send, delivered } = setup();
    for (let i = 0; i < 100; i++) send({ id: i }, `a${i}`);
    expect(delivered).toHaveLength(100);
  });

  it('server requests: two handled at once, three queued, the rest dropped; a slot frees on answer', () => {
    const { send, guard, delivered, clock, reports } = setup();
    for (let i = 0; i < 8; i++) send({ id: `s${i}`, method: 'ping' }, `s${i}`);
    expect(delivered).toEqual(['s0', 's1']);
    expect(guard.load).toEqual({ handling: 2, queued: 3 });
    guard.answered('s0');
    expect(delivered).toEqual(['s0', 's1', 's2']);
    guard.answered('s0'); // twice: no effect
    guard.answered('unknown');
    expect(guard.load).toEqual({ handling: 2, queued: 2 });
    clock.advance(1000);
    expect(reports).toEqual([{ requests: 3, notifications: 0, coalesced: 0 }]);
  });

  it('server requests beyond the rate are dropped even with free slots; the bucket refills with time', () => {
    const { send, guard, delivered, clock } = setup({ ...LIMITS, maxConcurrent: 100 });
    for (let i = 0; i < 15; i++) send({ id: i, method: 'ping' }, `s${i}`);
    expect(delivered).toHaveLength(10);
    for (let i = 0; i < 15; i++) guard.answered(i);
    clock.advance(500);
    for (let i = 15; i < 30; i++) send({ id: i, method: 'ping' }, `s${i}`);
    expect(delivered).toHaveLength(15);
  });

  it('list_changed: the first at once, a burst within the window becomes one delivery at its end', () => {
    const { send, delivered, clock, reports } = setup();
    const lc = { method: 'notifications/tools/list_changed' };
    for (let i = 0; i < 1000; i++) send(lc, `t${i}`);
    send({ method: 'notifications/prompts/list_changed' }, 'p0');
    expect(delivered).toEqual(['t0', 'p0']);
    clock.advance(100);
    expect(delivered).toEqual(['t0', 'p0', 't999']);
    clock.advance(100); // nothing new in the second window: it closes
    send(lc, 'later');
    expect(delivered).toEqual(['t0', 'p0', 't999', 'later']);
    clock.advance(1000);
    expect(reports).toEqual([{ requests: 0, notifications: 0, coalesced: 998 }]);
  });

  it('other notifications are rate-limited; dispose reports what is pending and drops queued work', () => {
    const { send, guard, delivered, reports, clock } = setup();
    for (let i = 0; i < 9; i++) send({ method: 'notifications/message' }, `n${i}`);
    for (let i = 0; i < 6; i++) send({ id: i, method: 'ping' }, `s${i}`);
    expect(delivered).toHaveLength(5 + 2);
    guard.dispose();
    expect(reports).toEqual([{ requests: 1, notifications: 4, coalesced: 0 }]);
    guard.answered(0);
    send({ id: 'x', method: 'ping' }, 'late');
    clock.advance(5000);
    expect(delivered).toHaveLength(7);
    expect(reports).toHaveLength(1);
  });
});
