/**
 * `breaker-transitions-legal`: every breaker event is a legal (from, to) pair and its `from` equals the
 * previous event's `to` on that endpoint — so each state change was emitted exactly once.
 *
 * Legal: closed→open, open→half-open, half-open→closed, half-open→open, any→disabled, any→forced-open,
 * disabled→closed, forced-open→closed. A "change" to the same state is illegal. The first event's `from`
 * must be `closed` or the state of the configured mode (disabled / forced-open).
 */
import type { BreakerState } from '../../manager/types.js';
import type { HistoryEvent } from '../history.js';
import { historyIndex, initialBreakerState, serverOf } from '../stats/index.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { checkKeys } from './params.js';
import { invariantResult, plural, ViolationList } from './violations.js';

const NAME = 'breaker-transitions-legal';

/** Whether a breaker may go from `from` to `to` in one step. */
export function isLegalBreakerTransition(from: BreakerState, to: BreakerState): boolean {
  if (from === to) return false;
  if (to === 'disabled' || to === 'forced-open') return true;
  switch (from) {
    case 'closed':
      return to === 'open';
    case 'open':
      return to === 'half-open';
    case 'half-open':
      return to === 'closed' || to === 'open';
    case 'disabled':
    case 'forced-open':
      return to === 'closed';
    default:
      return false;
  }
}

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {};

export const breakerTransitionsLegal: Invariant<Record<string, never>> = {
  name: NAME,
  description: 'Every breaker event is a legal (from, to) pair whose from is the previous to.',
  paramDocs: PARAMS,
  params(raw) {
    checkKeys(NAME, raw, Object.keys(PARAMS));
    return {};
  },
  check(history, params) {
    const v = new ViolationList();
    const last = new Map<string, HistoryEvent & { type: 'breaker' }>();
    let n = 0;
    for (const e of historyIndex(history).breaker) {
      n++;
      const prev = last.get(e.endpoint);
      if (prev === undefined) {
        const configured = initialBreakerState(history, serverOf(history, e.endpoint));
        if (e.from !== 'closed' && e.from !== configured) {
          v.add(
            `first breaker event of ${e.endpoint} starts from ${e.from}, expected closed`,
            e.t,
            [e],
            e.endpoint,
          );
        }
      } else if (e.from !== prev.to) {
        v.add(
          `breaker event ${e.from}→${e.to} on ${e.endpoint} does not follow the previous ${prev.from}→${prev.to}`,
          e.t,
          [prev, e],
          e.endpoint,
        );
      }
      if (!isLegalBreakerTransition(e.from, e.to)) {
        v.add(`illegal breaker transition ${e.from}→${e.to} on ${e.endpoint}`, e.t, [prev, e], e.endpoint);
      }
      last.set(e.endpoint, e);
    }
    const summary =
      v.count === 0
        ? `${plural(n, 'breaker transition')}, all legal and consecutive`
        : `${plural(v.count, 'problem')} in ${plural(n, 'breaker transition')}`;
    return invariantResult(NAME, params, v, summary);
  },
};
