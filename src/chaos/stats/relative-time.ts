/**
 * Converts a time carried inside an event payload (`call-start.deadline`, `ejection.untilT`,
 * `backpressure.untilT`, `attempt-start.attemptDeadline`) to ms since
 * load start. `HistoryRecorder` rebases only `t`, so these payload times may still be absolute clock
 * times. Rule: when `history.origin > 0` and the value is ≥ the origin, it is absolute and the origin is
 * subtracted; otherwise it is already relative. (Real runs have an epoch-ms origin, so the two ranges
 * never overlap; synthetic histories use origin 0.)
 */
import type { History } from '../history.js';

export function relativeT(history: Pick<History, 'origin'>, value: number): number {
  const origin = history.origin;
  return origin > 0 && value >= origin ? value - origin : value;
}
