/**
 * `health-recovers-within`: an endpoint that was unhealthy during a fault (or at its end) is healthy
 * again within `within` of the fault's end.
 *
 * Default `within` per server: timeout + healthyAfter × (probe interval while unhealthy + jitter +
 * timeout) + slack, plus 2 s for process faults (the process has to start again).
 *
 * Not judged: probe `none`; endpoints never unhealthy during the fault; faults that run until the end of
 * load; ends covered by another fault on the endpoint; recoveries cut short by the next fault; deadlines
 * beyond the end of the history. Nothing judged at all fails as vacuous, naming why, unless
 * `allowVacuous: true`.
 *
 * Params: `fault` (name, default every fault), `within` (duration), `slack` (duration, default 500ms),
 * `allowVacuous`.
 */
import type { History } from '../history.js';
import {
  type EndpointRecord,
  endpointIndex,
  faultWindows,
  firstTransition,
  historySpan,
  stateAt,
} from '../stats/index.js';
import { coveredByOther, describeWindow, nextFaultStart, selectWindows } from './fault-selection.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { booleanParam, checkKeys, durationParam, faultWithinParams, perServerValue } from './params.js';
import { at, failIfVacuous, invariantResult, plural, ViolationList } from './violations.js';

export interface HealthRecoversWithinParams extends Record<string, unknown> {
  fault?: string;
  withinMs?: number;
  slackMs: number;
  allowVacuous?: boolean;
}

const NAME = 'health-recovers-within';
/** Extra time allowed after a process fault for the process to start again. */
export const PROCESS_RESTART_ALLOWANCE_MS = 2000;

/** Default recovery bound for a server (ms). */
export function defaultHealthRecoverWithinMs(
  history: History,
  server: string,
  slackMs: number,
  processFault: boolean,
): number {
  const h = history.settings[server]?.health;
  const extra = processFault ? PROCESS_RESTART_ALLOWANCE_MS : 0;
  if (!h) return 2500 + slackMs + extra;
  const interval = h.unhealthyIntervalMs ?? h.intervalMs;
  return h.timeoutMs + h.healthyAfter * (interval + h.jitterMs + h.timeoutMs) + slackMs + extra;
}

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {
  fault: { kind: 'fault', doc: 'The fault (default: every fault but deploys).' },
  within: {
    kind: 'duration',
    doc: 'Longest from the fault’s end to `healthy` again (default from the probe settings).',
  },
  slack: { kind: 'duration', doc: 'Added to the default bound (default 500ms).' },
  allowVacuous: {
    kind: 'boolean',
    doc: 'Pass even when no case could be judged (default false: that fails as vacuous).',
  },
};

export const healthRecoversWithin: Invariant<HealthRecoversWithinParams> = {
  name: NAME,
  description: 'An endpoint made unhealthy by a fault is healthy again within a time after the fault ends.',
  paramDocs: PARAMS,
  params(raw) {
    const r = checkKeys(NAME, raw, Object.keys(PARAMS));
    const allowVacuous = booleanParam(NAME, r, 'allowVacuous');
    return {
      slackMs: durationParam(NAME, r, 'slack') ?? 500,
      ...faultWithinParams(NAME, r),
      ...(allowVacuous !== undefined ? { allowVacuous } : {}),
    };
  },
  check(history, params) {
    const v = new ViolationList();
    const index = endpointIndex(history);
    const endOfHistory = historySpan(history).endT;
    const resolved: Record<string, number> = {};
    let recovered = 0;
    let notJudged = 0;
    const reasons = new Set<string>();
    const skip = (why: string) => {
      notJudged++;
      reasons.add(why);
    };
    const windows = selectWindows(history, params.fault, v);
    const all = faultWindows(history);
    for (const w of windows) {
      const rec = index.get(w.endpoint);
      const health = history.settings[w.server]?.health;
      if (!rec || !health || health.probe === 'none') {
        skip('no health probes');
        continue;
      }
      if (w.openEnded) {
        skip('the fault lasts to the end of load');
        continue;
      }
      if (coveredByOther(all, w, w.endT)) {
        skip('another fault covers its end');
        continue;
      }
      const atEnd = stateAt(rec.health, w.endT);
      if (atEnd !== 'unhealthy' && !wasUnhealthy(rec, w.startT, w.endT)) {
        skip(`${w.endpoint} was never unhealthy during it`);
        continue;
      }
      if (atEnd === 'healthy') {
        recovered++;
        continue;
      }
      const within =
        params.withinMs ??
        defaultHealthRecoverWithinMs(history, w.server, params.slackMs, w.kind === 'process');
      resolved[w.server] = within;
      const deadline = w.endT + within;
      const hi = firstTransition(rec.health, w.endT, (s) => s === 'healthy', true);
      const healthyT = hi < 0 ? Number.POSITIVE_INFINITY : rec.health.t[hi]!;
      if (healthyT <= deadline) {
        recovered++;
        continue;
      }
      if (nextFaultStart(all, w, w.endT) <= deadline || deadline > endOfHistory) {
        skip(
          deadline > endOfHistory ? 'the deadline is past the end of the run' : 'the next fault starts first',
        );
        continue;
      }
      v.add(
        `${w.endpoint} was still ${stateAt(rec.health, deadline)} ${within}ms after ${describeWindow(w)} ended ` +
          `(${Number.isFinite(healthyT) ? `healthy at ${at(healthyT)}` : 'never healthy again'})`,
        deadline,
        [
          ...w.events.filter((e) => e.action === 'rollback'),
          ...rec.health.events.filter((e) => e.t >= w.startT && e.t <= deadline).slice(-4),
        ],
        w.endpoint,
        Number.isFinite(healthyT) ? 'time' : undefined, // recovered late; never is no lag's doing
      );
    }
    const vacuous = failIfVacuous(v, recovered + v.count, notJudged, reasons, params.allowVacuous);
    const shown: Record<string, unknown> = { ...params };
    if (params.withinMs === undefined) shown.withinMs = perServerValue(resolved);
    const why = notJudged ? ` (${[...reasons].slice(0, 4).join('; ')})` : '';
    const summary =
      vacuous ??
      (v.count === 0
        ? `${plural(recovered, 'endpoint')} healthy again in time; ${notJudged} not judged${why}`
        : `${plural(v.count, 'endpoint')} not healthy again in time (${recovered} were)`);
    return invariantResult(NAME, shown, v, summary);
  },
};

function wasUnhealthy(rec: EndpointRecord, fromT: number, toT: number): boolean {
  if (stateAt(rec.health, fromT) === 'unhealthy') return true;
  const i = firstTransition(rec.health, fromT, (s) => s === 'unhealthy');
  return i >= 0 && rec.health.t[i]! <= toT;
}
