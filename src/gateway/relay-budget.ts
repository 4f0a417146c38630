/**
 * How many of an upstream's notifications (progress, log messages, …) one call relays to its client: at
 * most {@link RELAY_PER_SEC} a second, as many at once; the rest are dropped, and counted. An upstream
 * flooding a call's stream (thousands of messages) then costs its client a trickle, not the flood, and
 * the gateway's writes go to the other calls.
 */
import type { Clock } from '../core/clock.js';

/** Notifications relayed per call and second (and the burst). */
export const RELAY_PER_SEC = 50;

export class RelayBudget {
  private tokens = RELAY_PER_SEC;
  private at: number;
  /** Notifications dropped so far. */
  dropped = 0;

  constructor(private readonly clock: Clock) {
    this.at = clock.now();
  }

  /** Whether one more may be relayed now (else it is counted as dropped). */
  take(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(RELAY_PER_SEC, this.tokens + ((now - this.at) / 1000) * RELAY_PER_SEC);
    this.at = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    this.dropped++;
    return false;
  }
}
