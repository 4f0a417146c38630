/**
 * One cell of the scorecard, from a run's journal: did the SUT survive (every invariant and threshold
 * held), its availability and p99 over the run, and how long after the first fault started its last
 * failed call started ("time to recover"; not recovered when calls still failed in the last second).
 */
import type { Journal } from '../journal.js';

export interface ScoreCell {
  sut: string;
  mode: string;
  status: 'survived' | 'failed' | 'inconclusive' | 'not-run' | 'error';
  availability?: number;
  p99Ms?: number;
  /** ms from the first fault's start to the start of the last failed call; 0 without failures. */
  recoverMs?: number;
  recovered?: boolean;
  /** Why it failed (checks that did not hold), or why it did not run. */
  notes: string[];
}

export function scoreOf(j: Journal, sut: string, mode: string): ScoreCell {
  const cell: ScoreCell = { sut, mode, status: 'failed', notes: [] };
  if (
    j.verdict === 'infrastructure-error' ||
    j.verdict === 'rollback-failed' ||
    j.verdict === 'interrupted'
  ) {
    return { ...cell, status: 'error', notes: j.errors.slice(0, 3) };
  }
  cell.status =
    j.verdict === 'passed' ? 'survived' : j.verdict === 'inconclusive' ? 'inconclusive' : 'failed';
  cell.availability = j.summary.availability;
  cell.p99Ms = j.summary.p99Ms;
  for (const i of j.invariants)
    if (!i.held) cell.notes.push(`${i.name}: ${i.violations[0]?.message ?? i.summary}`);
  for (const t of j.thresholds) if (!t.held) cell.notes.push(`${t.expression}: ${t.actual}`);
  const events = j.history?.events ?? [];
  const start = Math.min(...j.faults.map((f) => f.startT));
  if (!Number.isFinite(start)) return cell;
  const startOf = new Map<number, number>();
  let lastFail = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    if (e.type === 'call-start') startOf.set(e.callId, e.t);
    else if (e.type === 'call-end' && e.outcome !== 'success') {
      const t = startOf.get(e.callId) ?? e.t;
      if (t >= start) lastFail = Math.max(lastFail, t);
    }
  }
  const duration = j.history?.durationMs ?? 0;
  cell.recovered = !(lastFail >= duration - 1000);
  cell.recoverMs = lastFail === Number.NEGATIVE_INFINITY ? 0 : Math.max(0, lastFail - start);
  return cell;
}
