/**
 * `breaker-recovers-within`: after a fault ends on an endpoint, that endpoint's breaker is closed again
 * within `within` of the fault's end (already closed at the end counts).
 *
 * Not judged (counted as inconclusive, not violations): breakers that never opened during the fault
 * (nothing to recover from), faults that run until the end of load, ends covered by another fault on the
 * same endpoint, recoveries cut short by the next fault on the endpoint, and deadlines beyond the end of
 * the load (a breaker closes on a trial call; after the load no call comes — a fault whose process took
 * long to come back on a busy machine can end that late). Breakers in mode disabled/forced-open are skipped. Nothing judged at all fails as
 * vacuous, naming why, unless `allowVacuous: true`.
 *
 * Params: `fault` (name, default every fault), `within` (duration; default openFor + 2s, where openFor
 * is the backoff cap `breaker.backoff.maxMs` when a backoff is configured), `allowVacuous`.
 */
import type { BreakerState } from '../../manager/types.js';
import type { History } from '../history.js';
import {
  endpointIndex,
  faultWindows,
  firstTransition,
  historySpan,
  type StateTrack,
  stateAt,
} from '../stats/index.js';
import { coveredByOther, describeWindow, nextFaultStart, selectWindows } from './fault-selection.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { booleanParam, checkKeys, faultWithinParams, perServerValue } from './params.js';
import { at, failIfVacuous, invariantResult, plural, ViolationList } from './violations.js';

export interface BreakerRecoversWithinParams extends Record<string, unknown> {
  fault?: string;
  withinMs?: number;
  allowVacuous?: boolean;
}

const NAME = 'breaker-recovers-within';
const isClosed = (s: BreakerState) => s === 'closed' || s === 'disabled';

/** Default `within`: the longest open period (openFor, or the backoff cap) + 2 s. */
export function defaultRecoverWithinMs(history: History, server: string): number {
  const b = history.settings[server]?.breaker;
  if (!b) return 4000;
  return (b.backoff ? Math.max(b.openForMs, b.backoff.maxMs) : b.openForMs) + 2000;
}

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {
  fault: { kind: 'fault', doc: 'The fault (default: every fault but deploys).' },
  within: {
    kind: 'duration',
    doc: 'Longest from the fault’s end to the breaker closed again (default openFor, or the backoff cap, + 2s).',
  },
  allowVacuous: {
    kind: 'boolean',
    doc: 'Pass even when no case could be judged (no breaker opened, …; default false: that fails as vacuous).',
  },
};

export const breakerRecoversWithin: Invariant<BreakerRecoversWithinParams> = {
  name: NAME,
  description: "After a fault ends, the endpoint's breaker is closed again within a time.",
  paramDocs: PARAMS,
  params(raw) {
    const r = checkKeys(NAME, raw, Object.keys(PARAMS));
    const allowVacuous = booleanParam(NAME, r, 'allowVacuous');
    return { ...faultWithinParams(NAME, r), ...(allowVacuous !== undefined ? { allowVacuous } : {}) };
  },
  check(history, params) {
    const v = new ViolationList();
    const index = endpointIndex(history);
    // an open breaker closes on a trial call: after the load there is none to close it
    const endOfLoad = Math.min(historySpan(history).endT, history.durationMs);
    const resolved: Record<string, number> = {};
    let recovered = 0;
    let inconclusive = 0;
    let skipped = 0;
    const reasons = new Set<string>();
    const windows = selectWindows(history, params.fault, v);
    const all = faultWindows(history);
    for (const w of windows) {
      const rec = index.get(w.endpoint);
      const mode = history.settings[w.server]?.breaker.mode;
      const why = !rec
        ? 'no calls reached it'
        : mode === 'disabled' || mode === 'forced-open'
          ? `breaker ${mode}`
          : w.openEnded
            ? 'the fault lasts to the end of load'
            : coveredByOther(all, w, w.endT)
              ? 'another fault covers its end'
              : !openedDuring(rec.breaker, w.startT, w.endT)
                ? `the breaker of ${w.endpoint} never opened during it`
                : undefined;
      if (why !== undefined || rec === undefined) {
        skipped++;
        reasons.add(why ?? 'no calls reached it');
        continue;
      }
      const within = params.withinMs ?? defaultRecoverWithinMs(history, w.server);
      resolved[w.server] = within;
      const deadline = w.endT + within;
      const atEnd = stateAt(rec.breaker, w.endT);
      if (isClosed(atEnd)) {
        recovered++;
        continue;
      }
      const ci = firstTransition(rec.breaker, w.endT, isClosed, true);
      const closeT = ci < 0 ? Number.POSITIVE_INFINITY : rec.breaker.t[ci]!;
      if (closeT <= deadline) {
        recovered++;
        continue;
      }
      if (nextFaultStart(all, w, w.endT) <= deadline || deadline > endOfLoad) {
        inconclusive++;
        reasons.add(
          deadline > endOfLoad
            ? 'the deadline is past the end of the load (a breaker closes on a call)'
            : 'the next fault starts first',
        );
        continue;
      }
      const stateAtDeadline = stateAt(rec.breaker, deadline);
      const evidence = [
        ...w.events.filter((e) => e.action === 'rollback'),
        ...rec.breaker.events.filter((e) => e.t >= w.startT && e.t <= deadline).slice(-4),
      ];
      v.add(
        `breaker of ${w.endpoint} was still ${stateAtDeadline} ${within}ms after ${describeWindow(w)} ended ` +
          `(${Number.isFinite(closeT) ? `closed at ${at(closeT)}` : 'never closed'})`,
        deadline,
        evidence,
        w.endpoint,
        Number.isFinite(closeT) ? 'time' : undefined, // closed late; never closing is no lag's doing
      );
    }
    const vacuous = failIfVacuous(
      v,
      recovered + v.count,
      inconclusive + skipped,
      reasons,
      params.allowVacuous,
    );
    const shown: Record<string, unknown> = { ...params };
    if (params.withinMs === undefined) shown.withinMs = perServerValue(resolved);
    const summary =
      vacuous ??
      (v.count === 0
        ? `${plural(recovered, 'faulted endpoint')} closed again in time; ${inconclusive} inconclusive, ${skipped} skipped`
        : `${plural(v.count, 'breaker')} did not close in time (${recovered} did)`);
    return invariantResult(NAME, shown, v, summary);
  },
};

/** Whether a breaker track was open (or half-open) at any time in [from, to]. */
function openedDuring(track: StateTrack<BreakerState>, from: number, to: number): boolean {
  if (!isClosed(stateAt(track, from))) return true;
  const i = firstTransition(track, from, (s) => !isClosed(s), true);
  return i >= 0 && (track.t[i] as number) <= to;
}
