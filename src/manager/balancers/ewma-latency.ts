/**
 * Exponentially weighted moving average of latency samples: value ← value + alpha × (sample − value);
 * the first sample sets the value. 0 before any sample.
 */
export class EwmaLatency {
  private current = 0;
  private count = 0;

  /** @param alpha weight of each new sample, in (0, 1] (default 0.3: roughly the last ~6 samples matter). */
  constructor(readonly alpha = 0.3) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`ewma alpha must be in (0, 1], got ${alpha}`);
  }

  /** Adds one sample in ms (negative or non-finite samples are ignored). */
  record(latencyMs: number): void {
    if (!(latencyMs >= 0) || latencyMs === Number.POSITIVE_INFINITY) return;
    this.current = this.count === 0 ? latencyMs : this.current + this.alpha * (latencyMs - this.current);
    this.count++;
  }

  /** Smoothed latency in ms (0 = no sample yet). */
  get value(): number {
    return this.current;
  }

  get samples(): number {
    return this.count;
  }

  reset(): void {
    this.current = 0;
    this.count = 0;
  }
}
