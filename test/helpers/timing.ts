/**
 * The one tolerance of timing assertions in integration tests. Upper bounds only: a 2-core machine shared
 * with other test workers delays things, it never makes them early, so lower bounds stay exact.
 */

/** Slack for an upper bound around `expectedMs`: +200 ms plus 30 %. */
export function tolerance(expectedMs: number): number {
  return 200 + expectedMs * 0.3;
}

/** Upper bound for "about `expectedMs`" (expected + {@link tolerance}). */
export function about(expectedMs: number): number {
  return expectedMs + tolerance(expectedMs);
}
