/** Opaque handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = { readonly __timer: unknown } | ReturnType<typeof globalThis.setTimeout>;

/**
 * Injected time source. Every component that reads time or schedules work takes a `clock` option so unit
 * tests can drive it with {@link FakeClock}.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, monotonic within one process (fractional). */
  now(): number;
  /** Schedules `fn` after `ms` milliseconds (clamped to ≥ 0). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  /** Resolves after `ms`; rejects with the signal's reason if `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const origin = Date.now() - performance.now();

/** The real clock: wall time from a monotonic source, timers from the event loop. */
export class SystemClock implements Clock {
  now(): number {
    return origin + performance.now();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    return globalThis.setTimeout(fn, Math.max(0, ms));
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle !== undefined) globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }
}

/** A shared instance of the real clock. */
export const systemClock: Clock = new SystemClock();

function sleepWith(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface FakeTimer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A manual clock for unit tests. Time moves only through {@link FakeClock.advance} (synchronous) or
 * {@link FakeClock.advanceAsync} (lets promise callbacks run between timers). Timers due at the same
 * instant fire in the order they were scheduled.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: FakeTimer[] = [];

  /** @param startMs initial value of `now()` (default 0). */
  constructor(startMs = 0) {
    this.current = startMs;
  }
  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: FakeTimer = { id: ++this.seq, at: this.current + Math.max(0, ms), fn };
    this.timers.push(timer);
    return { __timer: timer.id };
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle === undefined || typeof handle !== 'object' || !('__timer' in handle)) return;
    const id = handle.__timer;
    this.timers = this.timers.filter((t) => t.id !== id);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }
  /** Number of timers not yet fired. */
  pending(): number {
    return this.timers.length;
  }
  /**
   * Moves time forward by `ms` without firing anything, as a blocked event loop does: timers that fall
   * due meanwhile fire late, at the next {@link advance}, with `now()` already past their time.
   */
  stall(ms: number): void {
    if (ms < 0) throw new RangeError(`stall(${ms}): ms must be >= 0`);
    this.current += ms;
  }
  /** Moves time forward by `ms`, firing due timers in order (overdue ones first, at the current time). */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`advance(${ms}): ms must be >= 0`);
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      this.timers = this.timers.filter((t) => t.id !== next.id);
      next.fn();
    }
    this.current = target;
  }
  /** Like {@link advance}, but drains the microtask queue before and after each timer. */
  async advanceAsync(ms: number): Promise<void> {
    if (ms < 0) throw new RangeError(`advanceAsync(${ms}): ms must be >= 0`);
    const target = this.current + ms;
    await flushMicrotasks();
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      this.timers = this.timers.filter((t) => t.id !== next.id);
      next.fn();
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }
  private nextDue(limit: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) {
      if (t.at <= limit && (!best || t.at < best.at || (t.at === best.at && t.id < best.id))) best = t;
    }
    return best;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise<void>((r) => setImmediate(r));
}
