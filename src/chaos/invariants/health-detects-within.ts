/**
 * `health-detects-within`: an endpoint under a fault that breaks health probes (see probe-breaking.ts)
 * becomes unhealthy within `within` of the fault's start (already unhealthy counts).
 *
 * Default `within` per server: unhealthyAfter × (interval + jitter + timeout) + slack. This is Envoy's
 * bound `unhealthyAfter × (interval + jitter) + timeout` widened so it also holds when the next probe is
 * scheduled only after the previous one finished.
 *
 * Not judged: servers with probe `none`; faults that do not (or may not) break probes; faults shorter
 * than `within` that ended undetected; a process fault the manager healed itself (`process-restart`
 * within the window); deadlines beyond the end of the history.
 *
 * Nothing judged at all (every case skipped, or no fault it applies to) fails as vacuous, naming why,
 * unless `allowVacuous: true`.
 *
 * Params: `fault` (name, default every fault), `within` (duration), `slack` (duration, default 250ms),
 * `allowVacuous` (default false).
 */
import type { History } from '../history.js';
import { endpointIndex, firstTransition, historySpan, stateAt } from '../stats/index.js';
import { describeWindow, selectWindows } from './fault-selection.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { booleanParam, checkKeys, durationParam, faultWithinParams, perServerValue } from './params.js';
import { probeVerdict } from './probe-breaking.js';
import { at, failIfVacuous, invariantResult, plural, ViolationList } from './violations.js';

export interface HealthDetectsWithinParams extends Record<string, unknown> {
  fault?: string;
  withinMs?: number;
  slackMs: number;
  allowVacuous?: boolean;
}

const NAME = 'health-detects-within';

/** Default detection bound for a server (ms). */
export function defaultDetectWithinMs(history: History, server: string, slackMs: number): number {
  const h = history.settings[server]?.health;
  if (!h) return 2000 + slackMs;
  return h.unhealthyAfter * (h.intervalMs + h.jitterMs + h.timeoutMs) + slackMs;
}

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {
  fault: { kind: 'fault', doc: 'The fault (default: every fault but deploys).' },
  within: {
    kind: 'duration',
    doc: 'Longest from the fault’s start to `unhealthy` (default unhealthyAfter × (interval + jitter + timeout) + slack).',
  },
  slack: { kind: 'duration', doc: 'Added to the default bound (default 250ms).' },
  allowVacuous: {
    kind: 'boolean',
    doc: 'Pass even when no case could be judged (default false: that fails as vacuous).',
  },
};

export const healthDetectsWithin: Invariant<HealthDetectsWithinParams> = {
  name: NAME,
  description: 'An endpoint under a probe-breaking fault becomes unhealthy within a time.',
  paramDocs: PARAMS,
  params(raw) {
    const r = checkKeys(NAME, raw, Object.keys(PARAMS));
    const allowVacuous = booleanParam(NAME, r, 'allowVacuous');
    return {
      slackMs: durationParam(NAME, r, 'slack') ?? 250,
      ...faultWithinParams(NAME, r),
      ...(allowVacuous !== undefined ? { allowVacuous } : {}),
    };
  },
  check(history, params) {
    const v = new ViolationList();
    const index = endpointIndex(history);
    const endOfHistory = historySpan(history).endT;
    const resolved: Record<string, number> = {};
    let detected = 0;
    let notJudged = 0;
    const skippedReasons = new Set<string>();
    const windows = selectWindows(history, params.fault, v);
    for (const w of windows) {
      const rec = index.get(w.endpoint);
      const health = history.settings[w.server]?.health;
      if (!rec || !health || health.probe === 'none') {
        notJudged++;
        skippedReasons.add('no probes');
        continue;
      }
      const pv = probeVerdict(w.kind, w.detail, health);
      if (pv.verdict !== 'breaks') {
        notJudged++;
        skippedReasons.add(pv.reason);
        continue;
      }
      const within = params.withinMs ?? defaultDetectWithinMs(history, w.server, params.slackMs);
      resolved[w.server] = within;
      const deadline = w.startT + within;
      if (stateAt(rec.health, w.startT) === 'unhealthy') {
        detected++;
        continue;
      }
      const di = firstTransition(rec.health, w.startT, (s) => s === 'unhealthy');
      const detT = di < 0 ? Number.POSITIVE_INFINITY : rec.health.t[di]!;
      if (detT <= deadline) {
        detected++;
        continue;
      }
      const selfHealed =
        w.kind === 'process' &&
        rec.connections.some(
          (e) =>
            e.type === 'connection' && e.kind === 'process-restart' && e.t >= w.startT && e.t <= deadline,
        );
      if (w.endT < deadline || deadline > endOfHistory || selfHealed) {
        notJudged++;
        skippedReasons.add(selfHealed ? 'restarted by the manager' : 'window too short');
        continue;
      }
      v.add(
        `${w.endpoint} did not become unhealthy within ${within}ms after ${describeWindow(w)} started ` +
          `(${pv.reason}); ${Number.isFinite(detT) ? `unhealthy at ${at(detT)}` : 'never unhealthy'}, ` +
          `health was ${stateAt(rec.health, deadline)} at ${at(deadline)}`,
        deadline,
        [w.events[0], ...rec.health.events.filter((e) => e.t >= w.startT && e.t <= deadline).slice(0, 4)],
        w.endpoint,
        Number.isFinite(detT) ? 'time' : undefined, // detected late; never detected is no lag's doing
      );
    }
    const vacuous = failIfVacuous(v, detected, notJudged, skippedReasons, params.allowVacuous);
    const shown: Record<string, unknown> = { ...params };
    if (params.withinMs === undefined) shown.withinMs = perServerValue(resolved);
    const skipped = notJudged ? ` (${[...skippedReasons].slice(0, 4).join('; ')})` : '';
    const summary =
      vacuous ??
      (v.count === 0
        ? `${plural(detected, 'faulted endpoint')} detected in time; ${notJudged} not judged${skipped}`
        : `${plural(v.count, 'endpoint')} not detected in time (${detected} were)`);
    return invariantResult(NAME, shown, v, summary);
  },
};
