/** A sliding window of call outcomes, as read by the rate trip policy. */
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
