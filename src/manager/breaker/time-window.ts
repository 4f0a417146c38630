import type { Clock } from '../../core/clock.js';
import type { OutcomeWindow } from './outcome-window.js';

/** Number of buckets a time window is split into. */
export const TIME_WINDOW_BUCKETS = 10;

/**
 * The outcomes of the last `sizeMs`, in {@link TIME_WINDOW_BUCKETS} buckets of `sizeMs / 10` each.
 * Bucket k holds the calls recorded at times t with floor(t / bucketMs) = k. At time `now` the window
 * holds the buckets floor(now / bucketMs) − 9 … floor(now / bucketMs): the current, partly elapsed bucket
 * and the nine before it, so it covers between 0.9 × sizeMs and sizeMs of history.
 * The totals are as of the last add() or refresh() (one clock read per call, not per getter).
 */
export class TimeWindow implements OutcomeWindow {
  readonly bucketMs: number;
  private readonly bucketCalls = new Int32Array(TIME_WINDOW_BUCKETS);
  private readonly bucketFailures = new Int32Array(TIME_WINDOW_BUCKETS);
  private readonly bucketSlow = new Int32Array(TIME_WINDOW_BUCKETS);
  private lastIndex: number;
  private totalCalls = 0;
  private totalFailures = 0;
  private totalSlow = 0;

  /** @param sizeMs length of the window in ms (> 0). */
  constructor(
    readonly sizeMs: number,
    private readonly clock: Clock,
  ) {
    if (!(sizeMs > 0)) throw new RangeError(`time window sizeMs must be > 0, got ${sizeMs}`);
    this.bucketMs = sizeMs / TIME_WINDOW_BUCKETS;
    this.lastIndex = Math.floor(clock.now() / this.bucketMs);
  }

  get calls(): number {
    return this.totalCalls;
  }
  get failures(): number {
    return this.totalFailures;
  }
  get slow(): number {
    return this.totalSlow;
  }

  /** Slides the window to clock.now(): call before reading the totals when no add() just did. */
  refresh(): void {
    this.roll();
  }

  add(failed: boolean, slow: boolean): void {
    this.roll();
    const slot = mod(this.lastIndex);
    this.bucketCalls[slot]!++;
    this.totalCalls++;
    if (failed) {
      this.bucketFailures[slot]!++;
      this.totalFailures++;
    }
    if (slow) {
      this.bucketSlow[slot]!++;
      this.totalSlow++;
    }
  }

  clear(): void {
    this.bucketCalls.fill(0);
    this.bucketFailures.fill(0);
    this.bucketSlow.fill(0);
    this.totalCalls = 0;
    this.totalFailures = 0;
    this.totalSlow = 0;
    this.lastIndex = Math.floor(this.clock.now() / this.bucketMs);
  }

  /** Empties the buckets that slid out of the window since the last call. */
  private roll(): void {
    const index = Math.floor(this.clock.now() / this.bucketMs);
    if (index <= this.lastIndex) return;
    if (index - this.lastIndex >= TIME_WINDOW_BUCKETS) {
      this.clear();
      this.lastIndex = index;
      return;
    }
    for (let i = this.lastIndex + 1; i <= index; i++) {
      const slot = mod(i);
      this.totalCalls -= this.bucketCalls[slot]!;
      this.totalFailures -= this.bucketFailures[slot]!;
      this.totalSlow -= this.bucketSlow[slot]!;
      this.bucketCalls[slot] = 0;
      this.bucketFailures[slot] = 0;
      this.bucketSlow[slot] = 0;
    }
    this.lastIndex = index;
  }
}

function mod(i: number): number {
  const m = i % TIME_WINDOW_BUCKETS;
  return m < 0 ? m + TIME_WINDOW_BUCKETS : m;
}
