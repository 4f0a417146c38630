/**
 * Latency percentiles over the last `capacity` samples (ring buffer). The sorted copy is rebuilt lazily,
 * at most once per batch of new samples, when a percentile is asked for.
 */
export class LatencyPercentile {
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private next = 0;
  private count = 0;
  private dirty = false;

  /** @param capacity samples kept (default 256, integer ≥ 1). */
  constructor(readonly capacity = 256) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be an integer >= 1, got ${capacity}`);
    this.ring = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
  }

  /** Adds one sample in ms (negative or non-finite samples are ignored). */
  record(latencyMs: number): void {
    if (!(latencyMs >= 0) || latencyMs === Number.POSITIVE_INFINITY) return;
    this.ring[this.next] = latencyMs;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    if (this.count < this.capacity) this.count++;
    this.dirty = true;
  }

  get samples(): number {
    return this.count;
  }

  /** Nearest-rank percentile p in (0, 100] of the kept samples; undefined without samples. */
  percentile(p: number): number | undefined {
    if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
    if (this.count === 0) return undefined;
    if (this.dirty) {
      const view = this.sorted.subarray(0, this.count);
      view.set(this.ring.subarray(0, this.count));
      view.sort();
      this.dirty = false;
    }
    return this.sorted[Math.ceil((p / 100) * this.count) - 1];
  }
}
