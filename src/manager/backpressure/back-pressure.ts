/**
 * Back-pressure of one endpoint: when the server answers 429 or 503 with `Retry-After` (and the endpoint's
 * `retryAfter` is `honour`), new calls are kept off it until then. A later Retry-After extends the window,
 * never shortens it. The window ends on the injected clock.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';

export class BackPressure {
  private untilT: number | undefined;
  private timer: TimerHandle | undefined;

  constructor(private readonly clock: Clock) {}

  /** New calls are kept off now. */
  get active(): boolean {
    return this.untilT !== undefined;
  }

  /** When the window in force ends (absolute clock ms), or undefined. */
  get until(): number | undefined {
    return this.untilT;
  }

  /** Keeps new calls off until `untilT` (a window already in force is only ever extended). */
  hold(untilT: number): void {
    if (this.untilT !== undefined && untilT <= this.untilT) return;
    if (untilT <= this.clock.now()) return;
    this.untilT = untilT;
    this.arm();
  }

  /**
   * Ends the window at `untilT` by the clock, never before: an event-loop timer counts from the loop's
   * cached time, which lags `now()` by however long the loop turn has run, so it can fire early — then it
   * is armed again for what is left.
   */
  private arm(): void {
    this.clock.clearTimeout(this.timer);
    const left = (this.untilT ?? 0) - this.clock.now();
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.untilT !== undefined && this.clock.now() < this.untilT) return this.arm();
      this.untilT = undefined;
    }, Math.ceil(left));
  }

  /** Ends the window and its timer (close). */
  clear(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.untilT = undefined;
  }
}
