/** The open-model load generator, on a fake clock: rate, ramp, outstanding cap, drain. */
import { describe, expect, it } from 'vitest';
import { callsDue, type GeneratedStream, LoadGenerator } from '../../../src/chaos/index.js';
import { FakeClock } from '../../../src/core/clock.js';
import { SeededRng } from '../../../src/core/rng.js';

function stream(over: Partial<GeneratedStream> = {}): GeneratedStream {
  return {
    index: 0,
    server: 's',
    tool: 'echo',
    args: {},
    ratePerSec: 100,
    rampMs: 0,
    idempotent: true,
    maxOutstanding: 1000,
    ...over,
  };
}

describe('callsDue', () => {
  it('is rate × time without a ramp and the triangle area during one', () => {
    expect(callsDue(1000, 100, 0)).toBeCloseTo(100);
    expect(callsDue(500, 100, 1000)).toBeCloseTo(12.5);
    expect(callsDue(1000, 100, 1000)).toBeCloseTo(50);
    expect(callsDue(2000, 100, 1000)).toBeCloseTo(150);
    expect(callsDue(-5, 100, 0)).toBe(0);
  });
});

describe('LoadGenerator', () => {
  it('starts calls at the configured rate regardless of completions (open model)', async () => {
    const clock = new FakeClock(1000);
    const pending: Array<() => void> = [];
    const gen = new LoadGenerator([stream({ ratePerSec: 200 })], {
      clock,
      rng: new SeededRng(1),
      call: () => new Promise<void>((r) => pending.push(r)),
    });
    const done = gen.run(1000);
    await clock.advanceAsync(1000);
    await done;
    // No call finished, yet every due call was started.
    expect(pending.length).toBe(200);
    expect(gen.inFlight).toBe(200);
    const c = gen.counters()[0]!;
    expect(c.started).toBe(200);
    expect(c.rejected).toBe(0);
    for (const r of pending) r();
    expect(await gen.drain(10)).toBe(true);
    expect(gen.inFlight).toBe(0);
  });

  it('ramps linearly from zero', async () => {
    const clock = new FakeClock();
    let n = 0;
    const gen = new LoadGenerator([stream({ ratePerSec: 100, rampMs: 1000 })], {
      clock,
      rng: new SeededRng(2),
      call: async () => {
        n++;
      },
    });
    const done = gen.run(2000);
    await clock.advanceAsync(500);
    expect(n).toBeGreaterThanOrEqual(11);
    expect(n).toBeLessThanOrEqual(13);
    await clock.advanceAsync(1500);
    await done;
    expect(n).toBe(150);
  });

  it('rejects client-side beyond the outstanding cap instead of queueing', async () => {
    const clock = new FakeClock();
    const rejectedAt: number[] = [];
    const gen = new LoadGenerator([stream({ ratePerSec: 100, maxOutstanding: 10 })], {
      clock,
      rng: new SeededRng(3),
      call: () => new Promise<void>(() => {}),
      onRejected: (_s, t) => rejectedAt.push(t),
    });
    const done = gen.run(1000);
    await clock.advanceAsync(1000);
    await done;
    const c = gen.counters()[0]!;
    expect(c.started).toBe(10);
    expect(c.rejected).toBe(90);
    expect(rejectedAt.length).toBe(90);
    expect(c.due).toBe(100);
    const drained = gen.drain(50);
    await clock.advanceAsync(50);
    expect(await drained).toBe(false);
  });

  it('a call function that throws synchronously counts as finished', async () => {
    const clock = new FakeClock();
    const gen = new LoadGenerator([stream({ ratePerSec: 50 })], {
      clock,
      rng: new SeededRng(4),
      call: () => {
        throw new Error('boom');
      },
    });
    const done = gen.run(200);
    await clock.advanceAsync(200);
    await done;
    expect(gen.counters()[0]!.finished).toBe(10);
    expect(gen.inFlight).toBe(0);
  });

  it('stops early when the signal aborts', async () => {
    const clock = new FakeClock();
    let n = 0;
    const ac = new AbortController();
    const gen = new LoadGenerator([stream({ ratePerSec: 100 })], {
      clock,
      rng: new SeededRng(5),
      call: async () => {
        n++;
      },
    });
    const done = gen.run(10_000, { signal: ac.signal });
    await clock.advanceAsync(100);
    ac.abort();
    await done;
    const at = n;
    await clock.advanceAsync(1000);
    expect(n).toBe(at);
    expect(at).toBeLessThanOrEqual(11);
  });

  it('rejects bad stream settings with a RangeError quoting the value', () => {
    const o = { clock: new FakeClock(), rng: new SeededRng(1), call: async () => {} };
    expect(() => new LoadGenerator([stream({ ratePerSec: 0 })], o)).toThrow(/rate must be > 0\/s, got 0/);
    expect(() => new LoadGenerator([stream({ maxOutstanding: 0 })], o)).toThrow(
      /maxOutstanding must be > 0, got 0/,
    );
  });
});
