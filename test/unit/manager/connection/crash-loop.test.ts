import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { CrashLoop } from '../../../../src/manager/connection/crash-loop.js';

const SETTINGS = { stableMs: 60_000, threshold: 3, baseMs: 100, maxMs: 30_000 };

describe('CrashLoop (fake clock)', () => {
  it('counts quick exits in a row whatever happens in between; from the threshold on the wait doubles to its cap', () => {
    const clock = new FakeClock(0);
    const loop = new CrashLoop(clock, SETTINGS);
    loop.started();
    clock.advance(150);
    loop.recordExit();
    loop.recordExit(); // failed to start: counts too
    expect([loop.count, loop.looping, loop.restartDelay()]).toEqual([2, false, undefined]);
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      loop.started();
      clock.advance(59_000); // up for almost a minute: still a quick exit
      loop.recordExit();
      delays.push(loop.restartDelay() as number);
    }
    expect(delays).toEqual([400, 800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000, 30_000]);
    expect(loop.looping).toBe(true);
  });

  it('only a child that stays up for stableMs ends the loop', () => {
    const clock = new FakeClock(0);
    const loop = new CrashLoop(clock, SETTINGS);
    for (let i = 0; i < 3; i++) loop.recordExit();
    expect(loop.looping).toBe(true);
    expect(loop.stableAt()).toBeUndefined();
    expect(loop.settle()).toBe(false);
    loop.started();
    expect(loop.stableAt()).toBe(60_000);
    clock.advance(59_999);
    expect(loop.settle()).toBe(false);
    clock.advance(1);
    expect(loop.settle()).toBe(true);
    expect([loop.count, loop.looping, loop.restartDelay()]).toEqual([0, false, undefined]);
    expect(loop.settle()).toBe(false); // ended once
    clock.advance(10_000);
    loop.recordExit(); // after a long run: a streak of one
    expect(loop.count).toBe(1);
  });
});
