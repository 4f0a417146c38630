import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { CrashLoop } from '../../../../src/manager/connection/crash-loop.js';

describe('CrashLoop (fake clock)', () => {
  it('counts exits over the window whatever happens in between; from the threshold on the wait doubles to its cap', () => {
    const clock = new FakeClock(0);
    const loop = new CrashLoop(clock, { windowMs: 60_000, threshold: 3, baseMs: 100, maxMs: 30_000 });
    loop.recordExit();
    clock.advance(150);
    loop.recordExit();
    expect([loop.count, loop.looping, loop.restartDelay()]).toEqual([2, false, undefined]);
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      clock.advance(200);
      loop.recordExit();
      delays.push(loop.restartDelay() as number);
    }
    expect(delays).toEqual([400, 800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000, 30_000]);
    expect(loop.looping).toBe(true);
    clock.advance(60_001);
    expect([loop.count, loop.looping, loop.restartDelay()]).toEqual([0, false, undefined]);
  });
});
