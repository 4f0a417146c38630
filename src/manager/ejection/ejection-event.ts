/** Emitted when an endpoint is ejected or returns. */
export interface EjectionEvent {
  endpoint: string;
  ejected: boolean;
  /** When ejected: clock time it returns (unless a health check brings it back earlier). */
  untilT?: number;
  /** e.g. `5 consecutive failures (ejection #2, 4000 ms)`, `ejection time elapsed`. */
  reason: string;
  /** clock.now() at the change. */
  t: number;
}
