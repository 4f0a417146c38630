/**
 * A columnar view of a history's calls (one row per `call-start`, in start order), built in one pass and
 * cached per history object. Checks, the failover invariant and the journal statistics all read it.
 */

import type { Outcome } from '../../manager/types.js';
import type { History } from '../history.js';
import { relativeT } from './relative-time.js';

/** Outcomes that mean "refused without reaching a server". */
export const REJECTION_OUTCOMES: ReadonlySet<string> = new Set([
  'circuit-open',
  'pool-exhausted',
  'no-endpoint',
  'cancelled',
  'budget-exhausted',
]);

export interface CallTable {
  /** Number of calls (call-start events). */
  size: number;
  /** Distinct server names, in first-seen order. */
  servers: string[];
  /** Per call: index into `servers`. */
  server: Int32Array;
  callId: Float64Array;
  /** Per call: start time, ms since load start (non-decreasing). */
  startT: Float64Array;
  /** Per call: deadline, ms since load start. */
  deadlineT: Float64Array;
  /** Per call: time of its (first) call-end, NaN while unfinished. */
  endT: Float64Array;
  /** Per call: latency of the final outcome (call-end.latencyMs, else end − start), NaN while unfinished. */
  latencyMs: Float64Array;
  /** Per call: final outcome, undefined while unfinished. */
  outcome: Array<Outcome | undefined>;
  /** 1 when the final outcome is `success`. */
  ok: Uint8Array;
  /** 1 when the final outcome is a rejection class (circuit-open, pool-exhausted, …). */
  rejected: Uint8Array;
  /** call-end events whose call never started. */
  orphanEnds: number;
  /** Extra call-end events for calls that had already ended (ignored for statistics). */
  duplicateEnds: number;
}

const cache = new WeakMap<History, { length: number; table: CallTable }>();

/** The call table of `history` (cached while `history.events.length` is unchanged). */
export function callTable(history: History): CallTable {
  const hit = cache.get(history);
  if (hit && hit.length === history.events.length) return hit.table;
  const table = buildCallTable(history);
  cache.set(history, { length: history.events.length, table });
  return table;
}

function buildCallTable(history: History): CallTable {
  const events = history.events;
  let n = 0;
  for (let i = 0; i < events.length; i++) if (events[i]!.type === 'call-start') n++;
  const t: CallTable = {
    size: n,
    servers: [],
    server: new Int32Array(n),
    callId: new Float64Array(n),
    startT: new Float64Array(n),
    deadlineT: new Float64Array(n),
    endT: new Float64Array(n).fill(Number.NaN),
    latencyMs: new Float64Array(n).fill(Number.NaN),
    outcome: new Array<Outcome | undefined>(n).fill(undefined),
    ok: new Uint8Array(n),
    rejected: new Uint8Array(n),
    orphanEnds: 0,
    duplicateEnds: 0,
  };
  const serverIdx = new Map<string, number>();
  const rowOf = new Map<number, number>();
  let row = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.type === 'call-start') {
      let s = serverIdx.get(e.server);
      if (s === undefined) {
        s = t.servers.length;
        t.servers.push(e.server);
        serverIdx.set(e.server, s);
      }
      t.server[row] = s;
      t.callId[row] = e.callId;
      t.startT[row] = e.t;
      t.deadlineT[row] = relativeT(history, e.deadline);
      rowOf.set(e.callId, row);
      row++;
    } else if (e.type === 'call-end') {
      const r = rowOf.get(e.callId);
      if (r === undefined) {
        t.orphanEnds++;
        continue;
      }
      if (!Number.isNaN(t.endT[r]!)) {
        t.duplicateEnds++;
        continue;
      }
      t.endT[r] = e.t;
      t.latencyMs[r] = Number.isFinite(e.latencyMs) ? e.latencyMs : e.t - t.startT[r]!;
      t.outcome[r] = e.outcome;
      if (e.outcome === 'success') t.ok[r] = 1;
      else if (REJECTION_OUTCOMES.has(e.outcome)) t.rejected[r] = 1;
    }
  }
  return t;
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
