/**
 * One timer for the deadlines of every call in flight, instead of one timer per call.
 *
 * Calls are kept in the pipeline's `active` list anyway; this arms a single clock timer for the earliest
 * deadline it was told about. When it fires, every call whose deadline has passed expires (in the list's
 * order, i.e. call start order) and the timer is re-armed for the earliest remaining one. A call that
 * ends just leaves the list: nothing to cancel. With the usual uniform call timeout a new call's deadline
 * is never earlier than the armed one, so starting a call costs no timer operation at all (a per-call
 * Node timer costs a timer-list insert and removal, which dominated the pipeline's own time).
 *
 * Precision: a call never expires before its deadline (an early timer — Node measures from the
 * loop's cached time — is re-armed for the rest) and expires as soon as the clock's timer runs after it.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';

/** Something with a deadline on the same clock. */
export interface Expiring {
  /** Absolute deadline, clock ms. */
  readonly deadline: number;
  /** Called once when the deadline has passed (while it is still listed). */
  expire(): void;
}

/** The live items (a `Set` or {@link ActiveCalls}). */
export interface ExpiringItems<T> {
  forEach(fn: (item: T) => void): void;
  has(item: T): boolean;
}

export class DeadlineTimer<T extends Expiring> {
  private timer: TimerHandle | undefined;
  /** Deadline the timer is armed for (Infinity when not armed). */
  private armedAt = Number.POSITIVE_INFINITY;
  private closed = false;
  private readonly onTimer = () => this.fire();

  /**
   * @param clock the clock deadlines are measured on and the timer runs on
   * @param items the live items (the caller adds and removes them; expiring does not remove one)
   */
  constructor(
    private readonly clock: Clock,
    private readonly items: ExpiringItems<T>,
  ) {}

  /** An item with `deadline` joined the items: make sure the timer fires by then. */
  watch(deadline: number): void {
    if (deadline < this.armedAt && !this.closed) this.arm(deadline);
  }

  /** Stops the timer for good. Idempotent. */
  close(): void {
    this.closed = true;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
  }

  private arm(at: number): void {
    this.clock.clearTimeout(this.timer);
    this.armedAt = at;
    this.timer = this.clock.setTimeout(this.onTimer, at - this.clock.now());
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    if (this.closed) return;
    const now = this.clock.now();
    const expired: T[] = [];
    let next = Number.POSITIVE_INFINITY;
    this.items.forEach((item) => {
      const d = item.deadline;
      if (d <= now) expired.push(item);
      else if (d < next) next = d;
    });
    // Expire after the scan: an expiring item leaves the list, and listeners may start new calls.
    for (const item of expired) if (this.items.has(item)) item.expire();
    if (next < this.armedAt && !this.closed) this.arm(next);
  }
}
