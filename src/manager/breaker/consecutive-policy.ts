import type { TripPolicy } from './trip-policy.js';

/** Opens when the number of consecutive counted failures reaches `failures` (count ≥ failures). */
export class ConsecutiveTripPolicy implements TripPolicy {
  private count = 0;

  /** @param failures consecutive counted failures that open the breaker, an integer ≥ 1. */
  constructor(private readonly failures: number) {
    if (!Number.isInteger(failures) || failures < 1) {
      throw new RangeError(`consecutive failures must be an integer >= 1, got ${failures}`);
    }
  }

  record(failed: boolean): string | undefined {
    if (!failed) {
      this.count = 0;
      return undefined;
    }
    this.count++;
    return this.count >= this.failures
      ? `${this.count} consecutive failures (>= ${this.failures})`
      : undefined;
  }

  reset(): void {
    this.count = 0;
  }
}
