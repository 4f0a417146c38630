import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { LoopMonitor } from '../../../src/core/loop-monitor.js';

describe('LoopMonitor', () => {
  it('records nothing while its ticks fire on time', () => {
    const clock = new FakeClock(0);
    const ticks: number[] = [];
    const m = new LoopMonitor({ clock, intervalMs: 25, onTick: (_t, late) => ticks.push(late) });
    m.start();
    clock.advance(1000);
    expect(ticks).toHaveLength(40);
    expect(Math.max(...ticks)).toBe(0);
    expect(m.worstStall(0, 1000)).toBe(0);
    m.close();
    expect(clock.pending()).toBe(0);
  });

  it('sees a blocked loop as a late tick, and finds it only in windows it overlapped', () => {
    const clock = new FakeClock(0);
    const m = new LoopMonitor({ clock, intervalMs: 25 });
    m.start();
    clock.advance(100); // ticks at 25…100, on time
    clock.stall(300); // blocked from 100 to 400: the tick due at 125 fires at 400
    clock.advance(0);
    expect(m.worstStall(100, 400)).toBe(275);
    expect(m.worstStall(380, 390)).toBe(275); // inside the stall
    expect(m.worstStall(0, 120)).toBe(0); // before it began (125 − late 275 = 125… it ended at 400)
    clock.advance(200);
    expect(m.worstStall(450, 600)).toBe(0);
    m.close();
  });

  it('keeps what other timers observe above the noise floor, and forgets after keepMs', () => {
    const clock = new FakeClock(0);
    const m = new LoopMonitor({ clock, minStallMs: 10, keepMs: 1000 });
    m.observe(100, 5); // noise
    expect(m.worstStall(0, 200)).toBe(0);
    m.observe(200, 80);
    expect(m.worstStall(150, 150)).toBe(80);
    m.observe(2000, 30); // the one at 200 is now older than keepMs
    expect(m.worstStall(0, 300)).toBe(0);
    expect(m.worstStall(1990, 2000)).toBe(30);
  });

  it('sums the time lost to many short stalls in a window, counting overlapping records once', () => {
    const clock = new FakeClock(0);
    const m = new LoopMonitor({ clock, intervalMs: 25 });
    m.start();
    for (let i = 0; i < 8; i++) {
      clock.stall(40); // a process starved of CPU: every tick ~15 ms late
      clock.advance(0);
    }
    // 8 ticks, each late by 15 ms, within [0, 320]
    expect(m.lostWithin(0, clock.now())).toBe(120);
    expect(m.worstStall(0, clock.now())).toBe(15);
    // a timeout timer that fired 30 ms late overlaps the last tick's stall: counted once
    m.observe(clock.now(), 30);
    expect(m.lostWithin(0, clock.now())).toBe(135);
    expect(m.lostWithin(clock.now() - 10, clock.now())).toBe(10);
    m.close();
  });

  it('rejects bad options', () => {
    const clock = new FakeClock(0);
    expect(() => new LoopMonitor({ clock, intervalMs: 0 })).toThrow(/intervalMs/);
    expect(() => new LoopMonitor({ clock, keepMs: -1 })).toThrow(/keepMs/);
  });
});
