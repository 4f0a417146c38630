/**
 * The time range a check is measured over, in ms since load start: the base range [fromT, toT) (default
 * [0, durationMs)) narrowed by the check's window.
 * - `during faults`: first fault start → last fault end (actual inject/rollback times);
 * - `after recovery`: last fault end + openFor → end; with no faults, the whole base range;
 * - `whole` and `over D`: the base range (over D slides inside it).
 */
import { secondsText } from '../../core/index.js';
import type { History } from '../history.js';
import { faultWindows } from '../stats/index.js';
import type { CheckWindow } from './parse-check.js';

export interface CheckRange {
  fromT: number;
  toT: number;
  /** Set when the range is empty (the check is vacuous), saying why. */
  empty?: string;
  /** A remark for the result, e.g. "no faults: whole run". */
  note?: string;
}

export function checkRange(
  history: History,
  window: CheckWindow,
  opts: { openForMs: number; fromT?: number; toT?: number },
): CheckRange {
  const fromT = opts.fromT ?? 0;
  const toT = opts.toT ?? history.durationMs;
  if (toT <= fromT) return { fromT, toT: fromT, empty: 'the measured range is empty' };
  if (window.kind === 'whole' || window.kind === 'over') return { fromT, toT };
  const faults = faultWindows(history);
  if (faults.length === 0) {
    return window.kind === 'during-faults'
      ? { fromT, toT: fromT, empty: 'no faults in this run' }
      : { fromT, toT, note: 'no faults: the whole range' };
  }
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const f of faults) {
    first = Math.min(first, f.startT);
    last = Math.max(last, f.endT);
  }
  const range =
    window.kind === 'during-faults'
      ? { fromT: Math.max(fromT, first), toT: Math.min(toT, last) }
      : { fromT: Math.max(fromT, last + opts.openForMs), toT };
  if (range.toT <= range.fromT) {
    const why =
      window.kind === 'during-faults'
        ? 'the faults fall outside the measured range'
        : `recovery starts at ${secondsText(last + opts.openForMs)}, after the measured range ends`;
    return { ...range, toT: range.fromT, empty: why };
  }
  return range;
}
