/** The harness's own event-loop stalls recorded in a history (`history.stalls`). */
import type { History } from '../history.js';

/** The longest stall of the harness that overlapped [fromT, toT] (ms since load start; 0 when none). */
export function harnessStallWithin(history: History, fromT: number, toT: number): number {
  const stalls = history.stalls;
  if (stalls === undefined) return 0;
  let worst = 0;
  for (const s of stalls) {
    if (s.endT < fromT) continue;
    if (s.endT - s.ms > toT) break;
    if (s.ms > worst) worst = s.ms;
  }
  return worst;
}
