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
import { countBefore, endpointIndex } from '../stats/index.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { checkKeys, durationParam } from './params.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface BreakerRejectsParams extends Record<string, unknown> {
  graceMs: number;
}

const NAME = 'breaker-rejects-while-open';

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {
  grace: {
    kind: 'duration',
    doc: 'Attempts starting less than this after the breaker opened are tolerated (default 0: strict by event order).',
  },
};

export const breakerRejectsWhileOpen: Invariant<BreakerRejectsParams> = {
  name: NAME,
  description:
    'No attempt reaches an endpoint whose breaker is open or forced-open; while half-open only trials do.',
  paramDocs: PARAMS,
  params(raw) {
    const r = checkKeys(NAME, raw, Object.keys(PARAMS));
    return { graceMs: durationParam(NAME, r, 'grace') ?? 0 };
  },
  check(history, params) {
    const v = new ViolationList();
    let attempts = 0;
    let trials = 0;
    for (const rec of endpointIndex(history).values()) {
      attempts += rec.attemptT.length;
      const tr = rec.breaker;
      // Each state interval: from transition k (k = -1: the start) to transition k + 1, by event position.
      for (let k = -1; k < tr.t.length; k++) {
        const state: BreakerState = k < 0 ? tr.initial : tr.to[k]!;
        if (state === 'closed' || state === 'disabled') continue;
        const fromSeq = k < 0 ? -1 : tr.seq[k]!;
        const toSeq = k + 1 < tr.t.length ? tr.seq[k + 1]! : Number.POSITIVE_INFINITY;
        const since = k < 0 ? Number.NEGATIVE_INFINITY : tr.t[k]!;
        const event = k < 0 ? undefined : tr.events[k];
        for (let a = countBefore(rec.attemptSeq, fromSeq, true); a < rec.attemptSeq.length; a++) {
          if (rec.attemptSeq[a]! >= toSeq) break;
          const e = rec.attempts[a]!;
          if (state === 'half-open' && e.trial) {
            trials++;
            continue;
          }
          if (e.t - since < params.graceMs) continue;
          v.addLazy(e.t, () => ({
            message:
              `attempt ${e.attempt} (${e.kind}${e.trial ? ', trial' : ''}) of call ${e.callId} ` +
              (state === 'half-open'
                ? 'was admitted without being a trial while the breaker was half-open'
                : `reached the endpoint while its breaker was ${state}`) +
              ` (since ${event ? at(since) : 'the start'})`,
            events: [event, e],
            endpoint: e.endpoint,
          }));
        }
      }
    }
    const summary =
      v.count === 0
        ? `${plural(attempts, 'attempt')} (${trials} half-open trials), none reached an open breaker`
        : `${plural(v.count, 'attempt')} of ${attempts} reached an open or half-open breaker`;
    return invariantResult(NAME, params, v, summary);
  },
};
