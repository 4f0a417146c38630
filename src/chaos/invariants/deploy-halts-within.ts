/**
 * `deploy-halts-within`: a deploy of a broken version stops by itself — the named deploy halted on a new
 * replica that was never admitted or got into trouble while watched (not because the load ended), within
 * `within` of its start, and the replica that halted it took no new call after the halt (traffic stays on
 * the old version). A deploy that completed failed to notice the broken version.
 *
 * Params: `fault` (required) — the deploy; `within` (optional, default: any time during the load).
 */
import { formatDuration } from '../../core/duration.js';
import { endpointIndex } from '../stats/index.js';
import { DEPLOY_CUT_BY_LOAD_END, deploySteps, readDeployParams } from './deploy-steps.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface DeployHaltsWithinParams extends Record<string, unknown> {
  fault: string;
  withinMs?: number;
}

const NAME = 'deploy-halts-within';

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {
  fault: { kind: 'fault', required: true, doc: 'The deploy (of a broken version).' },
  within: {
    kind: 'duration',
    doc: 'Longest from its start to the halt (default: any time during the load).',
  },
};

export const deployHaltsWithin: Invariant<DeployHaltsWithinParams> = {
  name: NAME,
  description:
    'The named deploy (of a broken version) halted on a new replica not admitted or in trouble, within `within` of its start, and that replica took no new call afterwards.',
  paramDocs: PARAMS,
  params(raw) {
    return readDeployParams(NAME, raw, PARAMS);
  },
  check(history, params) {
    const v = new ViolationList();
    const { start, end } = deploySteps(history, params.fault, v);
    let summary = v.items[0]?.message ?? `deploy ${params.fault} never started`;
    if (v.count > 0) return invariantResult(NAME, params, v, summary);
    if (!start) {
      v.add(summary, 0);
    } else if (end?.action !== 'halted' || end.detail === DEPLOY_CUT_BY_LOAD_END) {
      summary = !end
        ? `deploy ${params.fault} was still rolling when the run ended: it never halted`
        : end.action === 'complete'
          ? `deploy ${params.fault} completed at ${at(end.t)}: the broken version was not noticed`
          : `deploy ${params.fault} was cut by the end of the load, not halted by a broken replica`;
      v.add(summary, end?.t ?? start.t, [start, end]);
    } else {
      const took = end.t - start.t;
      summary = `deploy ${params.fault} halted after ${formatDuration(took)}: ${end.detail ?? ''}`;
      if (params.withinMs !== undefined && took > params.withinMs)
        v.add(
          `${summary} (limit ${formatDuration(params.withinMs)})`,
          end.t,
          [start, end],
          undefined,
          'time',
        );
      // the replica that halted it (`<id> not admitted: …` or `<id>: trouble`) takes no new call after
      const culprit = /^(\S+?)(?::| not admitted)/.exec(end.detail ?? '')?.[1];
      const rec = culprit === undefined ? undefined : endpointIndex(history).get(culprit);
      const late = rec?.attempts.filter((a) => a.t > end.t) ?? [];
      if (late.length > 0) {
        v.add(
          `${culprit} halted the deploy at ${at(end.t)} but still got ${plural(late.length, 'new attempt')}, the first at ${at(late[0]?.t ?? end.t)}`,
          late[0]?.t ?? end.t,
          [end, late[0]],
          culprit,
        );
      } else if (culprit !== undefined) summary += `; ${culprit} took no call after the halt`;
    }
    return invariantResult(NAME, params, v, summary);
  },
};
