/**
 * `breaker-rejects-while-open`: no attempt reaches an endpoint whose breaker is open or forced-open, and
 * while half-open only attempts admitted as trials (`trial: true`) do. The breaker state of each endpoint
 * is rebuilt from its `breaker` events, in event order (the state before the first event is that event's
 * `from`, else the configured mode).
 *
 * Params: `grace` (duration, default 0) — attempts starting less than `grace` after the transition are
 * tolerated. With 0 the check is strict by event order: an attempt-start recorded after the open
 * transition is a violation even at the same instant.
 */
import type { BreakerState } from '../../manager/types.js';
import type { HistoryEvent } from '../history.js';
import { endpointIndex } from '../stats/endpoint-index.js';
import type { Invariant } from './invariant.js';
import { checkKeys, durationParam } from './params.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface BreakerRejectsParams extends Record<string, unknown> {
  graceMs: number;
}

const NAME = 'breaker-rejects-while-open';

interface Lane {
  state: BreakerState;
  since: number;
  event: HistoryEvent | undefined;
}

export const breakerRejectsWhileOpen: Invariant<BreakerRejectsParams> = {
  name: NAME,
  description:
    'No attempt reaches an endpoint whose breaker is open or forced-open; while half-open only trials do.',
  params(raw) {
    const r = checkKeys(NAME, raw, ['grace']);
    return { graceMs: durationParam(NAME, r, 'grace') ?? 0 };
  },
  check(history, params) {
    const v = new ViolationList();
    const index = endpointIndex(history);
    const lanes = new Map<string, Lane>();
    const lane = (ep: string): Lane => {
      let l = lanes.get(ep);
      if (!l) {
        l = {
          state: index.get(ep)?.breaker.initial ?? 'closed',
          since: Number.NEGATIVE_INFINITY,
          event: undefined,
        };
        lanes.set(ep, l);
      }
      return l;
    };
    let attempts = 0;
    let trials = 0;
    const events = history.events;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.type === 'breaker') {
        const l = lane(e.endpoint);
        l.state = e.to;
        l.since = e.t;
        l.event = e;
      } else if (e.type === 'attempt-start') {
        attempts++;
        const l = lane(e.endpoint);
        const s = l.state;
        if (s === 'closed' || s === 'disabled') continue;
        if (s === 'half-open' && e.trial) {
          trials++;
          continue;
        }
        if (e.t - l.since < params.graceMs) continue;
        const why =
          s === 'half-open'
            ? 'was admitted without being a trial while the breaker was half-open'
            : `reached the endpoint while its breaker was ${s}`;
        v.add(
          `attempt ${e.attempt} (${e.kind}${e.trial ? ', trial' : ''}) of call ${e.callId} ${why} ` +
            `(since ${l.event ? at(l.since) : 'the start'})`,
          e.t,
          [l.event, e],
          e.endpoint,
        );
      }
    }
    const summary =
      v.count === 0
        ? `${plural(attempts, 'attempt')} (${trials} half-open trials), none reached an open breaker`
        : `${plural(v.count, 'attempt')} of ${attempts} reached an open or half-open breaker`;
    return invariantResult(NAME, params, v, summary);
  },
};
