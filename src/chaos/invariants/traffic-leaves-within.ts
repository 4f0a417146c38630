/**
 * `traffic-leaves-within`: black-box detection. From `within` after a fault starts on a replica until it
 * ends, that replica is sent no new tool calls — whatever sits in front of it (the manager, a gateway) has
 * noticed and routes around it. Judged from what reached the replica: its relay's log (requests forwarded
 * or answered by an `mcp` fault) or, for a mock without a relay, what it executed.
 *
 * Only faults that let requests reach the replica can be judged: `mcp` faults and toxics that slow or cut
 * traffic without stopping it (latency, bandwidth, slicer, …). `down`, process faults, and the timeout,
 * reset_peer and limit_data toxics stop requests before the replica, so nothing there could be counted
 * (noted; nothing judged at all fails as vacuous unless `allowVacuous: true`). Runs without execution logs
 * cannot be judged.
 *
 * Params: `fault` (name, default every fault but deploys), `within` (duration, default 1s), `allowVacuous`.
 */
import type { History } from '../history.js';
import type { FaultWindow } from '../stats/index.js';
import { describeWindow, selectWindows } from './fault-selection.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { booleanParam, checkKeys, durationParam, stringParam } from './params.js';
import { at, failIfVacuous, invariantResult, plural, ViolationList } from './violations.js';

export interface TrafficLeavesWithinParams extends Record<string, unknown> {
  fault?: string;
  withinMs: number;
  allowVacuous?: boolean;
}

const NAME = 'traffic-leaves-within';

/** Toxics that keep requests from reaching the replica at all. */
const STOPPING_TOXICS = new Set(['timeout', 'reset_peer', 'limit_data']);

const PARAMS: Readonly<Record<string, ParamDoc>> = {
  fault: { kind: 'fault', doc: 'The fault (default: every fault but deploys).' },
  within: {
    kind: 'duration',
    doc: 'How soon after the fault starts the replica must get no new calls (default 1s).',
  },
  allowVacuous: {
    kind: 'boolean',
    doc: 'Pass even when no fault could be judged (default false: that fails as vacuous).',
  },
};

/** Why requests under `w` cannot reach the replica (so nothing can be counted), or undefined. */
function unjudgeable(w: FaultWindow): string | undefined {
  if (w.kind === 'down' || w.kind === 'process')
    return `${w.fault}: ${w.kind} stops requests before the replica`;
  if (w.kind === 'toxic' && STOPPING_TOXICS.has(w.detail.split(' ')[0] ?? ''))
    return `${w.fault}: a ${w.detail.split(' ')[0]} toxic stops requests before the replica`;
  return undefined;
}

export const trafficLeavesWithin: Invariant<TrafficLeavesWithinParams> = {
  name: NAME,
  blackBox: true,
  description:
    'From a time after a replica fault starts until it ends, the faulted replica is sent no new tool calls (judged from what reached it).',
  paramDocs: PARAMS,
  params(raw) {
    const r = checkKeys(NAME, raw, Object.keys(PARAMS));
    const out: TrafficLeavesWithinParams = { withinMs: durationParam(NAME, r, 'within') ?? 1000 };
    const fault = stringParam(NAME, r, 'fault');
    if (fault !== undefined) out.fault = fault;
    const allowVacuous = booleanParam(NAME, r, 'allowVacuous');
    if (allowVacuous !== undefined) out.allowVacuous = allowVacuous;
    return out;
  },
  check(history: History, params) {
    const v = new ViolationList();
    const log = history.executions;
    if (log === undefined) {
      v.add('cannot judge: not every replica keeps an execution log or has a relay in front', 0);
      return invariantResult(NAME, params, v, 'not judgeable: no execution logs');
    }
    const windows = selectWindows(history, params.fault, v);
    const notes: string[] = [];
    let judged = 0;
    let seen = 0;
    for (const w of windows) {
      const why = unjudgeable(w);
      if (why !== undefined) {
        notes.push(why);
        continue;
      }
      const from = w.startT + params.withinMs;
      if (from >= w.endT) {
        notes.push(`${w.fault}: shorter than within`);
        continue;
      }
      judged++;
      const late = log.filter((x) => x.endpoint === w.endpoint && x.t >= from && x.t < w.endT);
      seen += late.length;
      if (late.length === 0) continue;
      const first = late[0] as (typeof late)[number];
      const last = late[late.length - 1] as (typeof late)[number];
      v.add(
        `${w.endpoint} was still sent ${plural(late.length, 'call')} from ${at(from)} until the fault ended ` +
          `(first at ${at(first.t)}${first.faulted ? `, answered by the fault: ${first.faulted}` : ''}) — ${describeWindow(w)}`,
        first.t,
        [],
        w.endpoint,
        // it left, only late (and stayed away for `within` before the fault ended): time's doing
        last.t + params.withinMs < w.endT ? 'time' : undefined,
      );
    }
    const summary =
      v.count === 0
        ? `${plural(judged, 'faulted replica')} sent no new calls from ${params.withinMs}ms after the fault started`
        : `${plural(seen, 'call')} reached faulted replicas after ${params.withinMs}ms`;
    const vacuous = failIfVacuous(v, judged, notes.length, notes, params.allowVacuous, 'no fault selected');
    return invariantResult(NAME, params, v, vacuous ?? summary);
  },
};
