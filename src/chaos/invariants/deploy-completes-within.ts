/**
 * `deploy-completes-within`: the named deploy finished — every replica it changed replaced, admitted and
 * through its watched pause — within `within` of its start. A deploy that halted, or was still rolling
 * when the load ended, did not complete.
 *
 * Params: `fault` (required) — the deploy; `within` (required) — the longest it may take.
 */
import { formatDuration } from '../../core/duration.js';
import { deploySteps, readDeployParams } from './deploy-steps.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { at, invariantResult, ViolationList } from './violations.js';

export interface DeployCompletesWithinParams extends Record<string, unknown> {
  fault: string;
  withinMs: number;
}

const NAME = 'deploy-completes-within';

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {
  fault: { kind: 'fault', required: true, doc: 'The deploy.' },
  within: { kind: 'duration', required: true, doc: 'Longest from the deploy’s start to its completion.' },
};

export const deployCompletesWithin: Invariant<DeployCompletesWithinParams> = {
  name: NAME,
  blackBox: true,
  description:
    'The named deploy completed (every replica replaced and healthy) within `within` of its start.',
  paramDocs: PARAMS,
  params(raw) {
    const { fault, withinMs } = readDeployParams(NAME, raw, PARAMS);
    return { fault, withinMs: withinMs as number };
  },
  check(history, params) {
    const v = new ViolationList();
    const { start, end, events } = deploySteps(history, params.fault, v);
    let summary = `deploy ${params.fault} never started`;
    if (v.count > 0) summary = v.items[0]?.message ?? summary;
    else if (!start) v.add(`deploy ${params.fault} never started (the load ended first?)`, 0);
    else if (!end) {
      summary = `deploy ${params.fault} was still rolling when the run ended`;
      v.add(summary, start.t, events.slice(-4), undefined, 'time');
    } else if (end.action === 'halted') {
      summary = `deploy ${params.fault} halted at ${at(end.t)}: ${end.detail ?? ''}`;
      // a halt is the deploy's own judgement of the new version: not time's doing
      v.add(summary, end.t, [start, end]);
    } else {
      const took = end.t - start.t;
      summary = `deploy ${params.fault} completed in ${formatDuration(took)} (limit ${formatDuration(params.withinMs)})`;
      if (took > params.withinMs) v.add(summary, end.t, [start, end], undefined, 'time');
    }
    return invariantResult(NAME, params, v, summary);
  },
};
