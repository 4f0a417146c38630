/**
 * `health-transitions-legal`: every health event is one of unknown→healthy, unknown→unhealthy,
 * healthy→unhealthy, unhealthy→healthy, and its `from` equals the previous event's `to` on that endpoint
 * (the first one's `from` is `unknown`).
 */
import type { HealthState } from '../../manager/types.js';
import type { HistoryEvent } from '../history.js';
import { historyIndex } from '../stats/index.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { checkKeys } from './params.js';
import { invariantResult, plural, ViolationList } from './violations.js';

const NAME = 'health-transitions-legal';

/** Whether health may go from `from` to `to` in one step. */
export function isLegalHealthTransition(from: HealthState, to: HealthState): boolean {
  return from !== to && to !== 'unknown';
}

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {};

export const healthTransitionsLegal: Invariant<Record<string, never>> = {
  name: NAME,
  description: 'Every health event is a legal (from, to) pair whose from is the previous to.',
  paramDocs: PARAMS,
  params(raw) {
    checkKeys(NAME, raw, Object.keys(PARAMS));
    return {};
  },
  check(history, params) {
    const v = new ViolationList();
    const last = new Map<string, HistoryEvent & { type: 'health' }>();
    let n = 0;
    for (const e of historyIndex(history).health) {
      n++;
      const prev = last.get(e.endpoint);
      const expected = prev?.to ?? 'unknown';
      if (e.from !== expected) {
        v.add(
          `health event ${e.from}→${e.to} on ${e.endpoint} does not follow ${prev ? `${prev.from}→${prev.to}` : 'the start (unknown)'}`,
          e.t,
          [prev, e],
          e.endpoint,
        );
      }
      if (!isLegalHealthTransition(e.from, e.to)) {
        v.add(`illegal health transition ${e.from}→${e.to} on ${e.endpoint}`, e.t, [prev, e], e.endpoint);
      }
      last.set(e.endpoint, e);
    }
    const summary =
      v.count === 0
        ? `${plural(n, 'health transition')}, all legal and consecutive`
        : `${plural(v.count, 'problem')} in ${plural(n, 'health transition')}`;
    return invariantResult(NAME, params, v, summary);
  },
};
