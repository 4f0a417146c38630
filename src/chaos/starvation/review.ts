/**
 * Reviewing a failed evaluation against the harness's own starvation. A check that did not hold becomes
 * inconclusive — never passed — when its failure has time as its cause and falls where the harness was
 * starved beyond what the timeouts involved tolerate:
 *
 * - the lag that counts is {@link starvationBoundMs} of the shortest timeout the run configures (call,
 *   attempt, health probe, a load stream's own): a shorter stall cannot make any of them fire;
 * - a stretch reaches `reachMs` past its end: the state a false timeout leaves behind (an open breaker, an
 *   endpoint marked unhealthy) lasts until the manager recovers from it;
 * - steady-state checks and thresholds: the check is judged again without the calls that failed by time
 *   (timeout, stream-idle, circuit-open, no-endpoint, pool-exhausted, or any failure that ended past the
 *   call's deadline: its timer came late) and overlapped a reached stretch —
 *   for latency metrics, without every call that overlapped one. Inconclusive when it then holds;
 * - invariants: inconclusive when every violation is time-caused (Violation.cause) and each lies within
 *   `reachMs` (plus the invariant's own `within`) of a reached stretch.
 *
 * Refused connections, wrong or missing answers, lost calls and logic violations are never time-caused, so
 * they stay deviations; and without a stretch (an idle machine) nothing changes.
 */

import type { ResilienceSettings } from '../../manager/types.js';
import { evaluateCheck } from '../checks/index.js';
import type { History, HistoryEvent } from '../history.js';
import type { InvariantResult } from '../invariants/invariant.js';
import type { CheckResult, StarvedStretch } from '../journal.js';
import type { Plan, Threshold } from '../scenario/index.js';
import { callTable, failedByTime } from '../stats/index.js';
import { describeStretch, STARVED_FLOOR_MS, starvationBoundMs } from './stretches.js';

/** What the review needs to know of the run besides its history. */
export interface StarvationContext {
  stretches: readonly StarvedStretch[];
  /** The shortest timeout the run configures (ms). */
  smallestTimeoutMs: number;
  /** How long after a stretch its consequences may last (ms). */
  reachMs: number;
  /** A black-box system under test: its own timeouts are unknown, so any starved stretch may explain. */
  blackBox?: boolean;
}

/** The judged checks of a run (run/evaluate.ts's Evaluation), and the steady-state windows they covered. */
export interface JudgedChecks {
  steadyState: { before: CheckResult[]; after: CheckResult[] };
  invariants: InvariantResult[];
  thresholds: CheckResult[];
}
type Windows = { before: [number, number] | undefined; after: [number, number] | undefined };

const CALL_EVENTS = new Set(['call-start', 'attempt-start', 'attempt-end', 'call-end', 'retry-denied']);
const LATENCY_METRICS = new Set(['p', 'avg', 'max']);

/**
 * The shortest timeout a run configures: call, attempt and health-probe timeouts of its servers' effective
 * settings, and the load streams' own.
 */
export function smallestTimeoutMs(
  settings: Iterable<ResilienceSettings>,
  load: ReadonlyArray<{ timeoutMs?: number }>,
): number {
  let smallest = Number.POSITIVE_INFINITY;
  for (const s of settings) {
    smallest = Math.min(smallest, s.callTimeoutMs, s.attemptTimeoutMs ?? Number.POSITIVE_INFINITY);
    if (s.health.probe !== 'none') smallest = Math.min(smallest, s.health.timeoutMs);
  }
  for (const l of load) if (l.timeoutMs !== undefined) smallest = Math.min(smallest, l.timeoutMs);
  return Number.isFinite(smallest) ? smallest : 4 * STARVED_FLOOR_MS;
}

/** The shortest timeout and the reach of a run's consequences, from its effective settings. */
export function starvationContext(
  plan: Plan,
  history: History,
  stretches: readonly StarvedStretch[],
): StarvationContext {
  let reach = 0;
  for (const s of Object.values(history.settings)) {
    const h = s.health;
    let recovery = s.breaker.openForMs;
    if (h.probe !== 'none')
      recovery +=
        h.healthyAfter * (Math.max(h.unhealthyIntervalMs ?? h.intervalMs, h.timeoutMs) + h.jitterMs);
    reach = Math.max(reach, s.callTimeoutMs + recovery);
  }
  const blackBox = plan.sut.kind !== 'manager';
  const smallest = smallestTimeoutMs(Object.values(history.settings), plan.load);
  return {
    stretches,
    // the settings of a black-box run are its client's; the gateway's own timeouts may be far shorter
    smallestTimeoutMs: blackBox ? Math.min(smallest, BLACK_BOX_TIMEOUT_MS) : smallest,
    reachMs: Math.max(reach, 1000 * plan.timeScale),
    ...(blackBox ? { blackBox } : {}),
  };
}

/**
 * What the review assumes of a black-box system under test's timeouts, which it cannot see: short enough
 * that a stall of the floor's length can fire them (a gateway's health probes and attempt deadlines are
 * often a few hundred ms).
 */
export const BLACK_BOX_TIMEOUT_MS = 4 * STARVED_FLOOR_MS;

/** Marks the failed checks of `e` whose failure the harness's starvation explains (in place). */
export function reviewStarvation(
  plan: Plan,
  history: History,
  e: JudgedChecks,
  windows: Windows,
  ctx: StarvationContext,
): void {
  const bound = starvationBoundMs(ctx.smallestTimeoutMs);
  const reached = ctx.stretches.filter((s) => s.worstMs >= bound);
  if (reached.length === 0) return;
  const tolerate = ctx.blackBox
    ? 'a system under test whose timeouts the harness cannot see tolerates'
    : `the ${Math.round(ctx.smallestTimeoutMs)}ms timeouts tolerate`;
  const why = (s: StarvedStretch, what: string) =>
    `inconclusive: ${what} fell where the harness itself was starved — ${describeStretch(s)} — beyond the ` +
    `${Math.round(bound)}ms that ${tolerate}; re-run on a quieter machine, or slow the scenario down with ` +
    '--time-scale 2';
  const near = (fromT: number, toT: number) =>
    reached.find((s) => s.fromT <= toT && s.toT + ctx.reachMs >= fromT);
  const openForMs = plan.recoveryOpenForMs;
  const review = (c: CheckResult, t: Threshold, w?: [number, number]) => {
    if (c.held || c.actual.startsWith('not evaluated')) return;
    const verdict = recheck(history, t, near, { openForMs, ...(w ? { fromT: w[0], toT: w[1] } : {}) });
    if (verdict) c.inconclusive = why(verdict.stretch, verdict.what);
  };
  for (const [i, c] of e.steadyState.before.entries())
    review(c, plan.steadyState[i] as Threshold, windows.before);
  for (const [i, c] of e.steadyState.after.entries())
    review(c, plan.steadyState[i] as Threshold, windows.after);
  for (const [i, c] of e.thresholds.entries()) review(c, plan.thresholds[i] as Threshold);
  for (const r of e.invariants) {
    const s = explainInvariant(r, near);
    if (s) r.inconclusive = why(s, `its ${r.violationCount} time-caused violation(s)`);
  }
}

type Near = (fromT: number, toT: number) => StarvedStretch | undefined;

/** Judges the check again without the calls the starvation explains; what it removed, when it then holds. */
function recheck(
  history: History,
  t: Threshold,
  near: Near,
  opts: { openForMs: number; fromT?: number; toT?: number },
): { stretch: StarvedStretch; what: string } | undefined {
  const c = callTable(history);
  const latency = LATENCY_METRICS.has(t.metric);
  if (!latency && t.metric !== 'availability' && t.metric !== 'error_rate') return undefined;
  const drop = new Set<number>();
  let stretch: StarvedStretch | undefined;
  for (let row = 0; row < c.size; row++) {
    if (c.ok[row] === 1 && !latency) continue;
    if (!latency && !failedByTime(c, row)) continue;
    const startT = c.startT[row] as number;
    const endT = Number.isFinite(c.endT[row]) ? (c.endT[row] as number) : startT;
    const s = near(startT, endT);
    if (s === undefined) continue;
    drop.add(c.callId[row] as number);
    stretch ??= s;
  }
  if (stretch === undefined) return undefined;
  const kept: HistoryEvent[] = history.events.filter(
    (ev) => !(CALL_EVENTS.has(ev.type) && drop.has((ev as { callId: number }).callId)),
  );
  const again = evaluateCheck(t, { ...history, events: kept }, opts);
  if (!again.held) return undefined;
  // a latency check must hold on calls that are left (without any it proves nothing either way); an
  // availability check emptied of calls had only calls that failed by time in the stretch: inconclusive
  if (latency && again.actual.includes('(vacuous)')) return undefined;
  const what = latency ? `${drop.size} call(s) it measured` : `the ${drop.size} call(s) that failed by time`;
  return { stretch, what };
}

/** The stretch that explains every violation of a failed invariant, if one does. */
function explainInvariant(r: InvariantResult, near: Near): StarvedStretch | undefined {
  if (r.held || r.timedAt === undefined || r.timedAt.length !== r.violationCount) return undefined;
  const within = typeof r.params.withinMs === 'number' ? r.params.withinMs : 0;
  let first: StarvedStretch | undefined;
  for (const t of r.timedAt) {
    const s = near(t - within, t);
    if (s === undefined) return undefined;
    first ??= s;
  }
  return first;
}
