/**
 * A columnar view of a history's calls: one row per `call-start`, in start order. Built by the shared
 * history index (history-index.ts) in its single pass; checks, the failover and lost-call invariants and
 * the journal statistics read it.
 */
import type { Outcome } from '../../manager/types.js';
import type { HistoryEvent } from '../history.js';

/** Outcomes that mean "refused without reaching a server". */
export const REJECTION_OUTCOMES: ReadonlySet<string> = new Set([
  'circuit-open',
  'pool-exhausted',
  'no-endpoint',
  'cancelled',
  'budget-exhausted',
]);

export interface CallTable {
  /** Number of calls (first call-start of each callId). */
  size: number;
  /** Distinct server names, in first-seen order. */
  servers: string[];
  /** Per call: index into `servers`. */
  server: Int32Array;
  callId: Float64Array;
  /** Per call: start time, ms since load start (non-decreasing). */
  startT: Float64Array;
  /** Per call: position of its call-start in `history.events`. */
  startSeq: Int32Array;
  /** Per call: deadline, ms since load start. */
  deadlineT: Float64Array;
  /** Per call: time of its (first) call-end, NaN while unfinished. */
  endT: Float64Array;
  /** Per call: position of its (first) call-end in `history.events`, -1 while unfinished. */
  endSeq: Int32Array;
  /** Per call: latency of the final outcome (call-end.latencyMs, else end − start), NaN while unfinished. */
  latencyMs: Float64Array;
  /** Per call: final outcome, undefined while unfinished. */
  outcome: Array<Outcome | undefined>;
  /** 1 when the final outcome is `success`. */
  ok: Uint8Array;
  /** 1 when the final outcome is a rejection class (circuit-open, pool-exhausted, …). */
  rejected: Uint8Array;
  /** call-end events whose call never started. */
  orphanEnds: HistoryEvent[];
  /** Extra call-end events of calls that had already ended, with the row they belong to (ignored for statistics). */
  duplicateEnds: Array<{ row: number; event: HistoryEvent }>;
  /** Extra call-start events of a callId already started, with the row of the first one. */
  duplicateStarts: Array<{ row: number; event: HistoryEvent }>;
}

/** First row whose start time is ≥ `t` (binary search; `size` when none). */
export function lowerBoundStart(table: CallTable, t: number): number {
  let lo = 0;
  let hi = table.size;
  const a = table.startT;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
