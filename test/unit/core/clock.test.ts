import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';

describe('FakeClock', () => {
  it('fires timers in due order, same-instant timers in scheduling order', () => {
    const clock = new FakeClock(100);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@20'), 20);
    clock.setTimeout(() => fired.push('a@10'), 10);
    clock.setTimeout(() => fired.push('c@20'), 20);
    clock.advance(15);
    expect(fired).toEqual(['a@10']);
    expect(clock.now()).toBe(115);
    clock.advance(5);
    expect(fired).toEqual(['a@10', 'b@20', 'c@20']);
    expect(clock.pending()).toBe(0);
  });

  it('runs timers scheduled by timers within the same advance, at their own time', () => {
    const clock = new FakeClock();
    const at: number[] = [];
    clock.setTimeout(() => {
      at.push(clock.now());
      clock.setTimeout(() => at.push(clock.now()), 5);
    }, 10);
    clock.advance(100);
    expect(at).toEqual([10, 15]);
  });

  it('clearTimeout cancels', () => {
    const clock = new FakeClock();
    let n = 0;
    const h = clock.setTimeout(() => n++, 10);
    clock.clearTimeout(h);
    clock.advance(20);
    expect(n).toBe(0);
  });

  it('sleep resolves on advanceAsync and rejects on abort', async () => {
    const clock = new FakeClock();
    let done = false;
    const p = clock.sleep(50).then(() => {
      done = true;
    });
    await clock.advanceAsync(49);
    expect(done).toBe(false);
    await clock.advanceAsync(1);
    await p;
    expect(done).toBe(true);

    const ac = new AbortController();
    const q = clock.sleep(50, ac.signal);
    ac.abort(new Error('stop'));
    await expect(q).rejects.toThrow('stop');
    expect(clock.pending()).toBe(0);
  });

  it('rejects negative advance', () => {
    expect(() => new FakeClock().advance(-1)).toThrow(RangeError);
  });
});
