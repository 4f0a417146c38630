/**
 * Decides when a closed breaker opens. The breaker feeds it every counted outcome of a permit issued
 * while closed (ignored and uncounted failures never reach it) and resets it whenever it (re)enters closed.
 */
export interface TripPolicy {
  /**
   * Records one counted outcome. `failed` = a counted failure; `latencyMs` = how long the call took
   * (for slow-call rates). Returns the reason to open now, or undefined to stay closed.
   */
  record(failed: boolean, latencyMs: number): string | undefined;
  /** Forgets every recorded outcome. */
  reset(): void;
}
