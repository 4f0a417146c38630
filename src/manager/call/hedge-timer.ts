/**
 * When a call sends its hedge: once its first attempt has run the hedge delay (the server's latency
 * percentile, at least the minimum delay), if the hedge still fits before the deadline. A hedge needs a
 * hedge slot of its server and a retry-budget token; without both it is not sent.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { CallGroup, TokenLike } from './call-target.js';

/** An attempt needs at least this long before the deadline to be worth sending. */
export const MIN_ATTEMPT_MS = 1;

export class HedgeTimer {
  private timer: TimerHandle | undefined;
  /** A hedge was sent for this call (at most one is). */
  sent = false;

  constructor(private readonly clock: Clock) {}

  /** Arms the timer for `group`'s hedge delay, unless hedging is off, there is one endpoint, or no time. */
  arm(group: CallGroup, t0: number, deadline: number, onFire: () => void): void {
    const hedge = group.hedge;
    if (!hedge || group.endpoints.length < 2) return;
    const delay = hedge.delayMs();
    if (delay === undefined || t0 + delay + MIN_ATTEMPT_MS >= deadline) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      onFire();
    }, delay);
  }

  /** The hedge slot and retry token a hedge needs, or undefined (and nothing held) when either is refused. */
  take(group: CallGroup): TokenLike[] | undefined {
    const hedgeToken = group.hedge?.tryAcquire();
    if (hedgeToken === undefined) return undefined;
    const retryToken = group.retryBudget.tryAcquireRetry();
    if (retryToken === undefined) {
      hedgeToken.release();
      return undefined;
    }
    this.sent = true;
    return [hedgeToken, retryToken];
  }

  clear(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
