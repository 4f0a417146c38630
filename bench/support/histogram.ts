/**
 * A small HDR-style latency histogram: log-linear buckets with ~1 % relative precision from 1 µs to
 * ~1 hour, constant memory, O(1) record. Values are milliseconds.
 */
const SUB_BUCKETS = 128; // per power of two → < 1 % relative error
const MIN_US = 1;

export class LatencyHistogram {
  private readonly counts: Float64Array;
  private total = 0;
  private maxMs = 0;
  private minMs = Number.POSITIVE_INFINITY;
  private sum = 0;

  constructor(private readonly maxPowers = 32) {
    this.counts = new Float64Array(maxPowers * SUB_BUCKETS);
  }

  private index(ms: number): number {
    const us = Math.max(MIN_US, ms * 1000);
    const p = Math.min(this.maxPowers - 1, Math.floor(Math.log2(us)));
    const base = 2 ** p;
    const sub = Math.min(SUB_BUCKETS - 1, Math.floor(((us - base) / base) * SUB_BUCKETS));
    return p * SUB_BUCKETS + sub;
  }

  private valueAt(index: number): number {
    const p = Math.floor(index / SUB_BUCKETS);
    const sub = index % SUB_BUCKETS;
    const base = 2 ** p;
    return (base + ((sub + 0.5) / SUB_BUCKETS) * base) / 1000;
  }

  record(ms: number, count = 1): void {
    this.counts[this.index(ms)]! += count;
    this.total += count;
    this.sum += ms * count;
    if (ms > this.maxMs) this.maxMs = ms;
    if (ms < this.minMs) this.minMs = ms;
  }

  /**
   * Records `ms` and, when it exceeds `expectedIntervalMs`, the samples a constant-rate client would have
   * seen while it was stalled (HdrHistogram's coordinated-omission correction).
   */
  recordCorrected(ms: number, expectedIntervalMs: number): void {
    this.record(ms);
    if (expectedIntervalMs <= 0) return;
    for (
      let missing = ms - expectedIntervalMs;
      missing >= expectedIntervalMs;
      missing -= expectedIntervalMs
    ) {
      this.record(missing);
    }
  }

  get count(): number {
    return this.total;
  }

  mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  max(): number {
    return this.total === 0 ? 0 : this.maxMs;
  }

  /** Value at percentile p in [0, 100]. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    if (p >= 100) return this.maxMs;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.maxMs, Math.max(this.minMs, this.valueAt(i)));
    }
    return this.maxMs;
  }
}
