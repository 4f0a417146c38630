/**
 * A sliding window of call outcomes, as read by the rate trip policy. The totals are as of the last
 * add() (time-based windows slide on add(), or on refresh() where offered).
 */
export interface OutcomeWindow {
  /** Adds one outcome (`failed` = counted failure, `slow` = slower than the slow-call threshold). */
  add(failed: boolean, slow: boolean): void;
  /** Calls currently in the window. */
  readonly calls: number;
  /** Failed calls currently in the window. */
  readonly failures: number;
  /** Slow calls (failed or not) currently in the window. */
  readonly slow: number;
  clear(): void;
}
