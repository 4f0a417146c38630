import type { Clock, TimerHandle } from '../../core/clock.js';
import { ChaosError } from '../../core/errors.js';
import type { PoolSettings } from '../types.js';

/** Gives the slot back (idempotent). */
export type Release = () => void;

export interface BulkheadDeps {
  clock: Clock;
  /** Named in error messages and details (e.g. the endpoint id). */
  name?: string;
}

interface Waiter {
  resolve: (release: Release) => void;
  reject: (e: ChaosError) => void;
  timer: TimerHandle | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** Still waiting (not granted, timed out or aborted). */
  live: boolean;
}

/**
 * Concurrency limit with a bounded FIFO queue. `acquire()` resolves at once while fewer than maxInFlight
 * slots are taken and nobody queues; otherwise it queues (first in, first served) for at most
 * acquireTimeoutMs. Rejections (all ChaosError):
 * - QUEUE_FULL at once when `queue` callers already wait (a queue of 0 = no waiting at all);
 * - POOL_EXHAUSTED when the wait exceeds acquireTimeoutMs;
 * - CALL_CANCELLED when the signal aborts (before or while queued);
 * - MANAGER_CLOSED after close().
 * Both QUEUE_FULL and POOL_EXHAUSTED map to the `pool-exhausted` rejection class.
 */
export class Bulkhead {
  private readonly clock: Clock;
  private readonly name: string;
  private readonly waiters: Waiter[] = [];
  private head = 0;
  private running = 0;
  private waiting = 0;
  private closed = false;

  constructor(
    private readonly settings: Pick<PoolSettings, 'maxInFlight' | 'queue' | 'acquireTimeoutMs'>,
    deps: BulkheadDeps,
  ) {
    const { maxInFlight, queue, acquireTimeoutMs } = settings;
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
      throw new RangeError(`bulkhead maxInFlight must be an integer >= 1, got ${maxInFlight}`);
    if (!Number.isInteger(queue) || queue < 0)
      throw new RangeError(`bulkhead queue must be an integer >= 0, got ${queue}`);
    if (!(acquireTimeoutMs >= 0))
      throw new RangeError(`bulkhead acquireTimeoutMs must be >= 0, got ${acquireTimeoutMs}`);
    this.clock = deps.clock;
    this.name = deps.name ?? 'bulkhead';
  }

  /** Slots taken now (≤ maxInFlight). */
  get inFlight(): number {
    return this.running;
  }

  /** Callers waiting now (≤ queue). */
  get queued(): number {
    return this.waiting;
  }

  /** A slot without waiting, or undefined (never queues). */
  tryAcquire(): Release | undefined {
    if (this.closed || this.running >= this.settings.maxInFlight || this.waiting > 0) return undefined;
    this.running++;
    return this.makeRelease();
  }

  /** Waits for a slot (FIFO); see the class comment for rejections. */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted)
      return Promise.reject(this.error('CALL_CANCELLED', 'cancelled before acquiring a slot'));
    const now = this.tryAcquire();
    if (now) return Promise.resolve(now);
    if (this.closed) return Promise.reject(this.error('MANAGER_CLOSED', 'closed'));
    if (this.waiting >= this.settings.queue) {
      return Promise.reject(this.error('QUEUE_FULL', `${this.running} in flight and ${this.waiting} queued`));
    }
    return new Promise<Release>((resolve, reject) => {
      const w: Waiter = { resolve, reject, timer: undefined, signal, onAbort: undefined, live: true };
      w.timer = this.clock.setTimeout(() => {
        w.timer = undefined;
        this.drop(w, this.error('POOL_EXHAUSTED', `no slot within ${this.settings.acquireTimeoutMs} ms`));
      }, this.settings.acquireTimeoutMs);
      if (signal) {
        w.onAbort = () => this.drop(w, this.error('CALL_CANCELLED', 'cancelled while queued'));
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.waiters.push(w);
      this.waiting++;
    });
  }

  /** Rejects every waiter with MANAGER_CLOSED and every later acquire. Held slots stay valid. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let i = this.head; i < this.waiters.length; i++) {
      const w = this.waiters[i]!;
      if (w.live) this.drop(w, this.error('MANAGER_CLOSED', 'closed while queued'));
    }
  }

  private makeRelease(): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.running--;
      this.dispatch();
    };
  }

  /** Hands free slots to the oldest live waiters. */
  private dispatch(): void {
    while (this.running < this.settings.maxInFlight && this.waiting > 0) {
      const w = this.waiters[this.head]!;
      this.waiters[this.head++] = undefined as unknown as Waiter;
      if (!w.live) continue;
      this.settle(w);
      this.running++;
      w.resolve(this.makeRelease());
    }
    this.compact();
  }

  private drop(w: Waiter, e: ChaosError): void {
    if (!w.live) return;
    this.settle(w);
    w.reject(e);
    this.compact();
  }

  private settle(w: Waiter): void {
    w.live = false;
    this.waiting--;
    this.clock.clearTimeout(w.timer);
    w.timer = undefined;
    if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
  }

  /** Drops dead waiters at the head and shrinks the array once half of it is consumed. */
  private compact(): void {
    while (this.head < this.waiters.length && !this.waiters[this.head]?.live) this.head++;
    if (this.head === this.waiters.length) {
      this.waiters.length = 0;
      this.head = 0;
    } else if (this.head > 64 && this.head * 2 > this.waiters.length) {
      this.waiters.splice(0, this.head);
      this.head = 0;
    }
  }

  private error(
    code: 'QUEUE_FULL' | 'POOL_EXHAUSTED' | 'CALL_CANCELLED' | 'MANAGER_CLOSED',
    msg: string,
  ): ChaosError {
    return new ChaosError(code, `${this.name}: ${msg}`, {
      details: { inFlight: this.running, queued: this.waiting, ...this.settings },
    });
  }
}
