/**
 * The pipeline's shared deadline timer and its intrusive list of calls in flight: one clock timer for every
 * call, armed for the earliest deadline; calls expire exactly at their deadline, in start order, never
 * early; starting a call with a later deadline costs no timer operation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Clock, FakeClock, type TimerHandle } from '../../../../src/core/clock.js';
import { ActiveCalls, type ActiveLinks, DeadlineTimer } from '../../../../src/manager/call/index.js';
import { McpManager } from '../../../../src/manager/index.js';
import { eventProblems, fakeFactory, settle } from '../support/fakes.js';

class Item implements ActiveLinks<Item> {
  activePrev: Item | undefined;
  activeNext: Item | undefined;
  activeListed = false;
  expiredAt: number | undefined;
  constructor(
    readonly name: string,
    readonly deadline: number,
    private readonly clock: Clock,
    private readonly list: ActiveCalls<Item>,
    private readonly log: string[],
  ) {}
  expire(): void {
    this.expiredAt = this.clock.now();
    this.log.push(this.name);
    this.list.delete(this);
  }
}

/** A FakeClock that counts timer operations. */
class CountingClock extends FakeClock {
  sets = 0;
  override setTimeout(fn: () => void, ms: number): TimerHandle {
    this.sets++;
    return super.setTimeout(fn, ms);
  }
}

function setup() {
  const clock = new CountingClock(0);
  const list = new ActiveCalls<Item>();
  const timer = new DeadlineTimer(clock, list);
  const log: string[] = [];
  const start = (name: string, timeoutMs: number) => {
    const item = new Item(name, clock.now() + timeoutMs, clock, list, log);
    list.add(item);
    timer.watch(item.deadline);
    return item;
  };
  return { clock, list, timer, log, start };
}

describe('ActiveCalls', () => {
  it('keeps start order through adds and removes anywhere, and is idempotent', () => {
    const { list, start } = setup();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => start(n, 100)) as [Item, Item, Item, Item];
    list.delete(b);
    list.delete(b);
    expect(list.snapshot().map((x) => x.name)).toEqual(['a', 'c', 'd']);
    list.delete(a);
    list.delete(d);
    expect(list.snapshot().map((x) => x.name)).toEqual(['c']);
    list.add(c);
    list.add(a);
    expect(list.snapshot().map((x) => x.name)).toEqual(['c', 'a']);
    expect(list.size).toBe(2);
    expect(list.has(a) && !list.has(b)).toBe(true);
    list.delete(c);
    list.delete(a);
    expect(list.size).toBe(0);
    expect(list.snapshot()).toEqual([]);
  });
});

describe('DeadlineTimer', () => {
  it('expires each item exactly at its deadline, never before', () => {
    const { clock, log, start } = setup();
    const a = start('a', 100);
    clock.advance(30);
    const b = start('b', 100);
    clock.advance(69);
    expect(log).toEqual([]);
    clock.advance(1);
    expect(log).toEqual(['a']);
    expect(a.expiredAt).toBe(100);
    clock.advance(29);
    expect(log).toEqual(['a']);
    clock.advance(1);
    expect(b.expiredAt).toBe(130);
    expect(clock.pending()).toBe(0);
  });

  it('starting calls with later deadlines arms no new timer; an earlier one re-arms', () => {
    const { clock, log, start } = setup();
    start('a', 1000);
    expect(clock.sets).toBe(1);
    for (let i = 0; i < 50; i++) {
      clock.advance(1);
      start(`x${i}`, 1000);
    }
    expect(clock.sets).toBe(1);
    expect(clock.pending()).toBe(1);
    const short = start('short', 10);
    expect(clock.sets).toBe(2);
    expect(clock.pending()).toBe(1);
    clock.advance(10);
    expect(short.expiredAt).toBe(60);
    expect(log).toEqual(['short']);
    clock.advance(939); // t = 999: a (1000) and x0..x49 (1001..1050) still run
    expect(log).toEqual(['short']);
    clock.advance(51);
    expect(log.slice(0, 3)).toEqual(['short', 'a', 'x0']);
    expect(log).toHaveLength(52);
  });

  it('items that end before their deadline just leave the list: nothing fires for them', () => {
    const { clock, list, log, start } = setup();
    const a = start('a', 100);
    const b = start('b', 200);
    list.delete(a);
    clock.advance(150);
    expect(log).toEqual([]);
    clock.advance(50);
    expect(log).toEqual(['b']);
    list.delete(b);
    expect(clock.pending()).toBe(0);
  });

  it('items sharing a deadline expire in start order; an early timer is re-armed, not obeyed', () => {
    const { clock, list, log, start } = setup();
    start('a', 50);
    start('b', 50);
    start('c', 50);
    clock.advance(50);
    expect(log).toEqual(['a', 'b', 'c']);
    // A timer firing early (Node measures from the loop's cached time) must not expire anything.
    const early = new FakeClock(0);
    let fire: (() => void) | undefined;
    const sloppy: Clock = {
      now: () => early.now(),
      setTimeout: (fn) => {
        fire = fn;
        return { __timer: 1 };
      },
      clearTimeout: () => {},
      sleep: (ms) => early.sleep(ms),
    };
    const items = new ActiveCalls<Item>();
    const timer = new DeadlineTimer(sloppy, items);
    const x = new Item('x', 100, sloppy, items, log);
    items.add(x);
    timer.watch(100);
    early.advance(99);
    fire?.();
    expect(x.expiredAt).toBeUndefined();
    early.advance(1);
    fire?.();
    expect(x.expiredAt).toBe(100);
    expect(list.size).toBe(0);
  });

  it('close() stops the timer for good', () => {
    const { clock, timer, log, start } = setup();
    start('a', 100);
    timer.close();
    expect(clock.pending()).toBe(0);
    start('b', 10);
    clock.advance(200);
    expect(log).toEqual([]);
  });
});

describe('call deadlines through the manager', () => {
  const managers: McpManager[] = [];
  afterEach(async () => {
    for (const m of managers.splice(0)) await m.close();
  });

  it('hanging calls with mixed timeouts each end exactly at their own deadline, with one timer', async () => {
    const clock = new CountingClock(1000);
    const { factory, conns } = fakeFactory(clock);
    const m = new McpManager(
      {
        servers: [{ name: 's', endpoints: [{ url: 'http://127.0.0.1:9000/mcp' }] }],
        settings: { health: { probe: 'none' }, callTimeoutMs: 500 },
        clock,
      },
      { createConnection: factory },
    );
    managers.push(m);
    const ends: Array<{ callId: number; t: number; outcome: string }> = [];
    const events: Parameters<Parameters<McpManager['onEvent']>[0]>[0][] = [];
    m.onEvent((e) => {
      events.push(e);
      if (e.type === 'call-end') ends.push({ callId: e.callId, t: e.t, outcome: e.outcome });
    });
    const conn = conns.get('s[0]');
    if (conn) conn.script = () => ({ hang: true });
    const setsBefore = clock.sets;
    const long = settle(m.callTool('s', 'a')); // deadline 1500
    await clock.advanceAsync(10);
    const short = settle(m.callTool('s', 'b', {}, { timeoutMs: 100 })); // deadline 1110
    const same = settle(m.callTool('s', 'c', {}, { timeoutMs: 490 })); // deadline 1500, after `long`
    await clock.advanceAsync(99);
    expect(short.current).toBeUndefined();
    await clock.advanceAsync(1);
    expect(ends).toEqual([{ callId: 2, t: 1110, outcome: 'timeout' }]);
    await clock.advanceAsync(389);
    expect(ends).toHaveLength(1);
    await clock.advanceAsync(1);
    expect(ends.map((e) => [e.callId, e.t])).toEqual([
      [2, 1110],
      [1, 1500],
      [3, 1500],
    ]);
    for (const c of [long, short, same]) expect(c.current?.ok).toBe(false);
    expect(eventProblems(events)).toEqual([]);
    // The deadline timer was armed twice (1500, then 1110) and once more for 1500 after 1110 fired; the
    // fake connection's own timers (it enforces the deadline too) come on top, one per call.
    expect(clock.sets - setsBefore).toBeLessThanOrEqual(3 + 3);
  });
});
