/**
 * Reviewing a failed check against the outages the scenario did not plan (unplanned-outages.ts): a
 * steady-state check or threshold that failed is judged again without the calls to that server that
 * failed the way an outage fails calls (refused or reset connections, timeouts, lost sessions, 5xx, and
 * the refusals an outage leaves behind: open breakers, no endpoint) from the outage's start to `reachMs`
 * past its end — for latency metrics, without every call to the server in that span. It becomes
 * inconclusive, naming the outage and the fault that overran its plan, when it then holds.
 *
 * Wrong answers, tool errors, protocol errors and lost calls are never excused, nor is anything outside
 * the span; invariants are left as they are (they judge the system's reactions, which an outage does not
 * excuse). A run without unplanned outages is untouched.
 */
import type { Outcome } from '../../manager/types.js';
import { evaluateCheck } from '../checks/index.js';
import type { History, HistoryEvent } from '../history.js';
import type { CheckResult } from '../journal.js';
import type { Plan, Threshold } from '../scenario/index.js';
import { callTable } from '../stats/index.js';
import type { JudgedChecks } from './review.js';
import { describeOutage, type UnplannedOutage, unplannedOutages } from './unplanned-outages.js';

/** How an outage fails a call. */
const OUTAGE_OUTCOMES: ReadonlySet<string> = new Set<Outcome>([
  'connection',
  'timeout',
  'session-lost',
  'server-5xx',
  'stream-idle',
  'circuit-open',
  'no-endpoint',
  'pool-exhausted',
  'budget-exhausted',
]);
const CALL_EVENTS = new Set(['call-start', 'attempt-start', 'attempt-end', 'call-end', 'retry-denied']);
const LATENCY_METRICS = new Set(['p', 'avg', 'max']);

type Windows = { before: [number, number] | undefined; after: [number, number] | undefined };

/** Marks the failed, not yet inconclusive checks of `e` that an unplanned outage explains (in place). */
export function reviewUnplannedOutages(
  plan: Plan,
  history: History,
  e: JudgedChecks,
  windows: Windows,
  reachMs: number,
): UnplannedOutage[] {
  const outages = unplannedOutages(history);
  if (outages.length === 0) return outages;
  const openForMs = plan.recoveryOpenForMs;
  const review = (c: CheckResult, t: Threshold, w?: [number, number]) => {
    if (c.held || c.inconclusive !== undefined || c.actual.startsWith('not evaluated')) return;
    const o = recheck(history, t, outages, reachMs, { openForMs, ...(w ? { fromT: w[0], toT: w[1] } : {}) });
    if (o)
      c.inconclusive =
        `inconclusive: ${o.what} failed where ${describeOutage(o.outage)} — the environment, not the ` +
        'system under test; re-run, or space the faults further apart';
  };
  for (const [i, c] of e.steadyState.before.entries())
    review(c, plan.steadyState[i] as Threshold, windows.before);
  for (const [i, c] of e.steadyState.after.entries())
    review(c, plan.steadyState[i] as Threshold, windows.after);
  for (const [i, c] of e.thresholds.entries()) review(c, plan.thresholds[i] as Threshold);
  return outages;
}

function recheck(
  history: History,
  t: Threshold,
  outages: readonly UnplannedOutage[],
  reachMs: number,
  opts: { openForMs: number; fromT?: number; toT?: number },
): { outage: UnplannedOutage; what: string } | undefined {
  const latency = LATENCY_METRICS.has(t.metric);
  if (!latency && t.metric !== 'availability' && t.metric !== 'error_rate') return undefined;
  const c = callTable(history);
  const drop = new Set<number>();
  let first: UnplannedOutage | undefined;
  for (let row = 0; row < c.size; row++) {
    if (!latency && (c.ok[row] === 1 || !OUTAGE_OUTCOMES.has(c.outcome[row] ?? ''))) continue;
    const server = c.servers[c.server[row] as number];
    const startT = c.startT[row] as number;
    const endT = Number.isFinite(c.endT[row]) ? (c.endT[row] as number) : startT;
    const o = outages.find((x) => x.server === server && x.fromT <= endT && x.toT + reachMs >= startT);
    if (o === undefined) continue;
    drop.add(c.callId[row] as number);
    first ??= o;
  }
  if (first === undefined) return undefined;
  const kept: HistoryEvent[] = history.events.filter(
    (ev) => !(CALL_EVENTS.has(ev.type) && drop.has((ev as { callId: number }).callId)),
  );
  const again = evaluateCheck(t, { ...history, events: kept }, opts);
  if (!again.held || (latency && again.actual.includes('(vacuous)'))) return undefined;
  return { outage: first, what: latency ? `${drop.size} call(s) it measured` : `${drop.size} call(s)` };
}
