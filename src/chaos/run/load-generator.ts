/**
 * Open-model load: each stream starts calls at its configured rate (with an optional linear ramp from 0)
 * no matter how fast calls finish, like real clients would. A cap on outstanding calls per stream keeps
 * memory bounded: a call due while the stream is at its cap is not started and is counted as rejected
 * client-side (reported through `onRejected`), never queued.
 *
 * Hot path: one `call()` per started call and one shared completion callback per stream; no per-call
 * closures or arrays.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { Rng } from '../../core/rng.js';

export interface LoadStream {
  /** Index in the scenario's `load:` list. */
  index: number;
  server: string;
  tool: string;
  args: Record<string, unknown>;
  /** Calls per second at full rate (> 0). */
  ratePerSec: number;
  /** Linear ramp from 0 to the full rate over this long (ms, default 0). */
  rampMs: number;
  /** May be repeated; undefined: as the tool's annotation says (the manager decides). */
  idempotent?: boolean;
  /** Per-call deadline (ms); undefined = the manager's callTimeout. */
  timeoutMs?: number;
  toolErrorsAreSuccess?: boolean;
  /** Max calls of this stream in flight; beyond it calls are rejected client-side (> 0). */
  maxOutstanding: number;
}

export interface StreamCounters {
  /** Calls due by the schedule. */
  due: number;
  started: number;
  /** Due but not started: the stream was at `maxOutstanding`. */
  rejected: number;
  finished: number;
  outstanding: number;
}

export interface LoadGeneratorOptions {
  clock: Clock;
  /** Jitters the tick period. */
  rng: Rng;
  /** Starts one call; the promise settles when the call is over (its value is ignored). */
  call: (stream: LoadStream) => Promise<unknown>;
  /** A call was due while the stream was at its cap (t = clock time). */
  onRejected?: (stream: LoadStream, t: number) => void;
  /** Mean scheduler tick (ms, default 5); each tick is uniform in [0.5, 1.5] × this. */
  tickMs?: number;
  /** Each tick that starts calls: how late the earliest of them is against its schedule (ms, ≥ 0). */
  onSendLag?: (lagMs: number) => void;
}

interface StreamState {
  stream: LoadStream;
  counters: StreamCounters;
  done: () => void;
}

/** Calls due after `elapsedMs` at `rate`/s with a linear ramp of `rampMs`. */
export function callsDue(elapsedMs: number, ratePerSec: number, rampMs: number): number {
  if (elapsedMs <= 0) return 0;
  const perMs = ratePerSec / 1000;
  if (rampMs <= 0) return perMs * elapsedMs;
  if (elapsedMs <= rampMs) return (perMs * elapsedMs * elapsedMs) / (2 * rampMs);
  return (perMs * rampMs) / 2 + perMs * (elapsedMs - rampMs);
}

/** When the `k`-th call (1-based) is due, ms after the start: the inverse of {@link callsDue}. */
export function callDueAtMs(k: number, ratePerSec: number, rampMs: number): number {
  const perMs = ratePerSec / 1000;
  if (rampMs <= 0) return k / perMs;
  const rampCalls = (perMs * rampMs) / 2;
  if (k <= rampCalls) return Math.sqrt((2 * rampMs * k) / perMs);
  return rampMs + (k - rampCalls) / perMs;
}

export class LoadGenerator {
  private readonly states: StreamState[];
  private inFlightCount = 0;
  private drainWaiters: Array<() => void> = [];
  private readonly tickMs: number;

  constructor(
    streams: LoadStream[],
    private readonly o: LoadGeneratorOptions,
  ) {
    this.tickMs = o.tickMs ?? 5;
    if (!(this.tickMs > 0)) throw new RangeError(`tickMs must be > 0, got ${o.tickMs}`);
    this.states = streams.map((stream) => {
      if (!(stream.ratePerSec > 0)) throw new RangeError(`load rate must be > 0/s, got ${stream.ratePerSec}`);
      if (!(stream.maxOutstanding > 0)) {
        throw new RangeError(`maxOutstanding must be > 0, got ${stream.maxOutstanding}`);
      }
      const counters: StreamCounters = { due: 0, started: 0, rejected: 0, finished: 0, outstanding: 0 };
      const done = () => {
        counters.outstanding--;
        counters.finished++;
        this.inFlightCount--;
        if (this.inFlightCount === 0 && this.drainWaiters.length > 0) {
          const waiters = this.drainWaiters;
          this.drainWaiters = [];
          for (const w of waiters) w();
        }
      };
      return { stream, counters, done };
    });
  }

  /** Calls started and not finished, over all streams. */
  get inFlight(): number {
    return this.inFlightCount;
  }

  /** Per-stream counters (live objects; totals over every `run`). */
  counters(): StreamCounters[] {
    return this.states.map((s) => s.counters);
  }

  /**
   * Runs the schedule for `durationMs` (ramps apply when `ramp` is true). Resolves when the last call
   * has been started, not when calls finish (see {@link drain}). An aborted `signal` ends it early.
   */
  run(durationMs: number, options: { ramp?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    const { clock, rng, onSendLag } = this.o;
    const ramp = options.ramp ?? true;
    const start = clock.now();
    const issued = this.states.map(() => 0);
    return new Promise<void>((resolve) => {
      let timer: TimerHandle | undefined;
      const finish = () => {
        clock.clearTimeout(timer);
        options.signal?.removeEventListener('abort', finish);
        resolve();
      };
      if (options.signal?.aborted) {
        resolve();
        return;
      }
      options.signal?.addEventListener('abort', finish, { once: true });
      const tick = () => {
        const now = clock.now();
        const elapsed = Math.min(now - start, durationMs);
        for (let i = 0; i < this.states.length; i++) {
          const st = this.states[i] as StreamState;
          const rampMs = ramp ? st.stream.rampMs : 0;
          const target = Math.floor(callsDue(elapsed, st.stream.ratePerSec, rampMs));
          let n = target - (issued[i] as number);
          if (n > 0 && onSendLag !== undefined) {
            const due = callDueAtMs((issued[i] as number) + 1, st.stream.ratePerSec, rampMs);
            onSendLag(Math.max(0, now - start - due));
          }
          issued[i] = target;
          while (n-- > 0) this.startOne(st);
        }
        if (elapsed >= durationMs || options.signal?.aborted) {
          finish();
          return;
        }
        const next = this.tickMs * (0.5 + rng.next());
        timer = clock.setTimeout(tick, Math.min(next, durationMs - elapsed));
      };
      timer = clock.setTimeout(tick, 0);
    });
  }

  /** Resolves true once nothing is in flight, or false after `timeoutMs`. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.inFlightCount === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let settled = false;
      const handle = this.o.clock.setTimeout(() => {
        if (settled) return;
        settled = true;
        this.drainWaiters = this.drainWaiters.filter((w) => w !== onDrained);
        resolve(false);
      }, timeoutMs);
      const onDrained = () => {
        if (settled) return;
        settled = true;
        this.o.clock.clearTimeout(handle);
        resolve(true);
      };
      this.drainWaiters.push(onDrained);
    });
  }

  private startOne(st: StreamState): void {
    const c = st.counters;
    c.due++;
    if (c.outstanding >= st.stream.maxOutstanding) {
      c.rejected++;
      this.o.onRejected?.(st.stream, this.o.clock.now());
      return;
    }
    c.started++;
    c.outstanding++;
    this.inFlightCount++;
    let p: Promise<unknown>;
    try {
      p = this.o.call(st.stream);
    } catch {
      st.done();
      return;
    }
    p.then(st.done, st.done);
  }
}
