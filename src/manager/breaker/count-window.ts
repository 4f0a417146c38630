import type { OutcomeWindow } from './outcome-window.js';

const FAILED = 1;
const SLOW = 2;

/** The last `size` outcomes, in a ring buffer with running totals (O(1), no allocation per call). */
export class CountWindow implements OutcomeWindow {
  private readonly ring: Uint8Array;
  private head = 0;
  calls = 0;
  failures = 0;
  slow = 0;

  /** @param size number of most recent calls the window holds, an integer ≥ 1. */
  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`count window size must be an integer >= 1, got ${size}`);
    this.ring = new Uint8Array(size);
  }

  add(failed: boolean, slow: boolean): void {
    if (this.calls === this.size) {
      const old = this.ring[this.head] ?? 0;
      if (old & FAILED) this.failures--;
      if (old & SLOW) this.slow--;
    } else {
      this.calls++;
    }
    this.ring[this.head] = (failed ? FAILED : 0) | (slow ? SLOW : 0);
    if (failed) this.failures++;
    if (slow) this.slow++;
    this.head = this.head + 1 === this.size ? 0 : this.head + 1;
  }

  clear(): void {
    this.ring.fill(0);
    this.head = 0;
    this.calls = 0;
    this.failures = 0;
    this.slow = 0;
  }
}
