/**
 * `breaker-opens-within`: for each endpoint targeted by fault `fault` (default: every fault), the
 * endpoint's breaker opens within `within` of the fault's start (and, with `calls`, before more than
 * `calls` attempts reached the endpoint after the start).
 *
 * Cases, per (fault, endpoint):
 * - breaker already open/forced-open at the fault's start, or it opened in time → holds;
 * - it did not open in time and the endpoint saw counted failures (settings.breaker.countedFailures)
 *   after the start → violation;
 * - it saw traffic but no counted failures (e.g. a latency fault below the timeout) → vacuous;
 * - it saw no traffic at all → violation ("cannot confirm"), unless the endpoint was unhealthy or
 *   ejected (so unused) during the window → vacuous;
 * - breaker mode `disabled` → vacuous.
 * The observation window is [start, start + within] (with only `calls`: until the fault ends plus the
 * call timeout).
 *
 * Params: `fault` (name), `within` (duration; default callTimeout + 1s, plus the window size for a
 * time-window rate policy), `calls` (integer ≥ 1, optional). Giving only `calls` checks calls alone.
 */
import type { BreakerState } from '../../manager/types.js';
import type { History } from '../history.js';
import type { FaultWindow } from '../stats/index.js';
import {
  countBefore,
  type EndpointRecord,
  ejectedAt,
  endpointIndex,
  firstTransition,
  stateAt,
} from '../stats/index.js';
import { describeWindow, selectWindows } from './fault-selection.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { checkKeys, durationParam, numberParam, perServerValue, stringParam } from './params.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface BreakerOpensWithinParams extends Record<string, unknown> {
  fault?: string;
  withinMs?: number;
  calls?: number;
}

const NAME = 'breaker-opens-within';
const isOpen = (s: BreakerState) => s === 'open' || s === 'forced-open';

/** Default `within` for a server: callTimeout + 1 s (+ the window for a time-window rate policy). */
export function defaultOpenWithinMs(history: History, server: string): number {
  const st = history.settings[server];
  if (!st) return 2000;
  const trip = st.breaker.trip;
  const windowMs = trip.policy === 'rate' && trip.window.kind === 'time' ? trip.window.sizeMs : 0;
  return st.callTimeoutMs + 1000 + windowMs;
}

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {
  fault: { kind: 'fault', doc: 'The fault whose endpoints must open (default: every fault but deploys).' },
  within: {
    kind: 'duration',
    doc: 'Longest from the fault’s start to the breaker opening (default callTimeout + 1s, plus the window of a time-window rate policy).',
  },
  calls: {
    kind: 'integer',
    doc: 'Or: at most this many calls may reach the endpoint first (≥ 1). Given alone, only calls are checked.',
  },
};

export const breakerOpensWithin: Invariant<BreakerOpensWithinParams> = {
  name: NAME,
  description:
    "Each faulted endpoint's breaker opens within a time (and/or a number of calls) after the fault starts.",
  paramDocs: PARAMS,
  params(raw) {
    const r = checkKeys(NAME, raw, Object.keys(PARAMS));
    const out: BreakerOpensWithinParams = {};
    const fault = stringParam(NAME, r, 'fault');
    const withinMs = durationParam(NAME, r, 'within');
    const calls = numberParam(NAME, r, 'calls', { min: 1, integer: true });
    if (fault !== undefined) out.fault = fault;
    if (withinMs !== undefined) out.withinMs = withinMs;
    if (calls !== undefined) out.calls = calls;
    return out;
  },
  check(history, params) {
    const v = new ViolationList();
    const index = endpointIndex(history);
    const resolved: Record<string, number> = {};
    let opened = 0;
    let already = 0;
    let vacuous = 0;
    const windows = selectWindows(history, params.fault, v);
    for (const w of windows) {
      const rec = index.get(w.endpoint);
      const st = history.settings[w.server];
      if (!rec || st?.breaker.mode === 'disabled') {
        vacuous++;
        continue;
      }
      const timeBound =
        params.withinMs ?? (params.calls === undefined ? defaultOpenWithinMs(history, w.server) : undefined);
      if (timeBound !== undefined) resolved[w.server] = timeBound;
      if (isOpen(stateAt(rec.breaker, w.startT))) {
        already++;
        continue;
      }
      const horizon = timeBound !== undefined ? w.startT + timeBound : w.endT + (st?.callTimeoutMs ?? 1000);
      const oi = firstTransition(rec.breaker, w.startT, isOpen);
      const openT = oi < 0 ? Number.POSITIVE_INFINITY : rec.breaker.t[oi]!;
      const attemptsBefore = (t: number) =>
        countBefore(rec.attemptT, t, false) - countBefore(rec.attemptT, w.startT, false);
      const inTime = timeBound === undefined || openT - w.startT <= timeBound;
      const attemptsUntilOpen = Number.isFinite(openT) ? attemptsBefore(openT) : Number.NaN;
      const inCalls = params.calls === undefined || attemptsUntilOpen <= params.calls;
      if (Number.isFinite(openT) && inTime && inCalls) {
        opened++;
        continue;
      }
      judgeMissing(history, w, rec, horizon, openT, attemptsUntilOpen, timeBound, params, v, () => vacuous++);
    }
    const shown: Record<string, unknown> = { ...params };
    if (params.withinMs === undefined && params.calls === undefined)
      shown.withinMs = perServerValue(resolved);
    const checked = windows.length;
    const summary =
      v.count === 0
        ? `${plural(checked, 'faulted endpoint')}: ${opened} opened in time, ${already} already open, ${vacuous} vacuous`
        : `${plural(v.count, 'violation')} over ${plural(checked, 'faulted endpoint')} (${opened} opened in time)`;
    return invariantResult(NAME, shown, v, summary);
  },
};

function judgeMissing(
  history: History,
  w: FaultWindow,
  rec: EndpointRecord,
  horizon: number,
  openT: number,
  attemptsUntilOpen: number,
  timeBound: number | undefined,
  params: BreakerOpensWithinParams,
  v: ViolationList,
  vacuous: () => void,
): void {
  const counted = new Set<string>(history.settings[w.server]?.breaker.countedFailures ?? []);
  const from = countBefore(rec.attemptEndT, w.startT, false);
  const to = countBefore(rec.attemptEndT, horizon, true);
  let failures = 0;
  let firstFailT = Number.NaN;
  for (let i = from; i < to; i++) {
    if (counted.has(rec.attemptEndOutcome[i]!)) {
      if (failures === 0) firstFailT = rec.attemptEndT[i]!;
      failures++;
    }
  }
  const traffic = countBefore(rec.attemptT, horizon, true) - countBefore(rec.attemptT, w.startT, false);
  const bound = [
    timeBound !== undefined ? `${timeBound}ms` : undefined,
    params.calls !== undefined ? plural(params.calls, 'call') : undefined,
  ]
    .filter(Boolean)
    .join(' / ');
  const outcome = Number.isFinite(openT)
    ? `it opened at ${at(openT)} (${Math.round(openT - w.startT)}ms, after ${plural(attemptsUntilOpen, 'attempt')})`
    : 'it never opened';
  const evidence = [w.events[0], ...rec.breaker.events.filter((e) => e.t >= w.startT).slice(0, 3)];
  if (failures > 0) {
    v.add(
      `breaker of ${w.endpoint} did not open within ${bound} after ${describeWindow(w)} started ` +
        `(${plural(failures, 'counted failure')}, first at ${at(firstFailT)}); ${outcome}`,
      timeBound !== undefined ? w.startT + timeBound : w.startT,
      evidence,
      w.endpoint,
      // late is time's doing; never, after counted failures, is the breaker's
      Number.isFinite(openT) ? 'time' : undefined,
    );
    return;
  }
  if (traffic > 0) {
    vacuous(); // traffic, but nothing the breaker counts: this fault does not trip breakers
    return;
  }
  const sick = firstTransition(rec.health, w.startT, (s) => s === 'unhealthy');
  const unused =
    ejectedAt(rec, w.startT) ||
    stateAt(rec.health, w.startT) === 'unhealthy' ||
    (sick >= 0 && rec.health.t[sick]! <= horizon) ||
    rec.ejections.some((iv) => iv.fromT >= w.startT && iv.fromT <= horizon);
  if (unused) {
    vacuous();
    return;
  }
  v.add(
    `no traffic reached ${w.endpoint} within ${bound} after ${describeWindow(w)} started, so its breaker ` +
      `could not be seen opening (the endpoint was healthy and not ejected); ${outcome}`,
    w.startT,
    evidence,
    w.endpoint,
    'time',
  );
}
