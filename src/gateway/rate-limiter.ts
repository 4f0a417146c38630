/**
 * Per-client token buckets: `ratePerSecond` sustained, `burst` at once. A request over it is told how
 * long to wait (the 429's Retry-After). At most `maxClients` buckets are kept (the least recently seen
 * goes first), so a flood of client keys cannot grow memory without bound.
 */
import type { Clock } from '../core/clock.js';

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly maxClients = 10_000,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be > 0, got ${ratePerSecond}`);
    if (!(burst >= 1)) throw new RangeError(`burst must be >= 1, got ${burst}`);
  }

  /**
   * Takes `n` tokens for `client` (a batch costs one per request in it): 0 when allowed, else the ms to
   * wait before they are free (nothing is taken then). `n` = 0 only looks: 0 while the bucket has a token.
   */
  take(client: string, n = 1): number {
    const now = this.clock.now();
    let b = this.buckets.get(client);
    if (b === undefined) {
      b = { tokens: this.burst, at: now };
      if (this.buckets.size >= this.maxClients) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
    } else {
      this.buckets.delete(client); // re-inserted below: the map stays in least-recently-seen order
      b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.ratePerSecond);
      b.at = now;
    }
    this.buckets.set(client, b);
    const need = Math.max(n, 1);
    if (b.tokens >= need) {
      b.tokens -= n;
      return 0;
    }
    return Math.ceil(((need - b.tokens) / this.ratePerSecond) * 1000);
  }

  /** Clients seen (buckets kept). */
  get clients(): number {
    return this.buckets.size;
  }
}
