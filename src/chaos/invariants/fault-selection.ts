/**
 * Which fault windows an invariant with an optional `fault` param looks at, and small helpers shared by
 * the fault-driven invariants.
 */
import { secondsText } from '../../core/index.js';
import type { History } from '../history.js';
import { type FaultWindow, faultWindows } from '../stats/index.js';
import type { ViolationList } from './violations.js';

/**
 * The windows of fault `name`, or of every fault when `name` is undefined — deploys left out then: a
 * deploy replaces replicas, it does not break one (the deploy invariants judge it by name). An unknown
 * name is reported as a violation (a typo must not make the invariant pass vacuously).
 */
export function selectWindows(history: History, name: string | undefined, v: ViolationList): FaultWindow[] {
  const all = faultWindows(history);
  if (name === undefined) return all.filter((w) => w.kind !== 'deploy');
  const chosen = all.filter((w) => w.fault === name);
  if (chosen.length === 0) {
    const known = [...new Set(all.map((w) => w.fault))].join(', ') || 'none';
    v.add(`no fault named "${name}" in this run (faults: ${known})`, 0);
  }
  return chosen;
}

/** Another window on the same endpoint still active at `t` (so this window's end is not a recovery). */
export function coveredByOther(windows: readonly FaultWindow[], w: FaultWindow, t: number): boolean {
  return windows.some((o) => o !== w && o.endpoint === w.endpoint && o.startT <= t && t < o.endT);
}

/** Start of the next window on the same endpoint after `t`, or Infinity. */
export function nextFaultStart(windows: readonly FaultWindow[], w: FaultWindow, t: number): number {
  let next = Number.POSITIVE_INFINITY;
  for (const o of windows)
    if (o !== w && o.endpoint === w.endpoint && o.startT > t) next = Math.min(next, o.startT);
  return next;
}

/** Short description of a window: `blackhole on weather[0] [3s, 7s]`. */
export function describeWindow(w: FaultWindow): string {
  return `fault ${w.fault} (${w.detail}) on ${w.endpoint} [${secondsText(w.startT)}, ${w.openEnded ? 'end' : secondsText(w.endT)}]`;
}
