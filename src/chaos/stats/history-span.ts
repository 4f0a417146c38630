import type { History } from '../history.js';

/**
 * The time a history covers, ms since load start: from min(0, first event) to max(durationMs, last
 * event) — events of the steady-state phases may fall before 0 or after the end of load.
 */
export function historySpan(history: History): { startT: number; endT: number } {
  const ev = history.events;
  const first = ev.length ? ev[0]!.t : 0;
  const last = ev.length ? ev[ev.length - 1]!.t : 0;
  return { startT: Math.min(0, first), endT: Math.max(history.durationMs, last) };
}
