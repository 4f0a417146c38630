/**
 * `half-open-trial-limit`: while an endpoint's breaker is half-open, the trial attempts in flight on it
 * (attempt-start with `trial: true` not yet matched by its attempt-end) never exceed
 * `settings[server].breaker.halfOpenTrials`. Trials are counted per half-open period: leaving half-open
 * forgets them (a new half-open period starts from zero, as the breaker's own counter does).
 *
 * Params: `max` (integer ≥ 0, default from settings) overrides the limit for every server.
 */
import type { HistoryEvent } from '../history.js';
import { endpointIndex } from '../stats/endpoint-index.js';
import { serverOf } from '../stats/fault-windows.js';
import { attemptKey } from './attempt-key.js';
import type { Invariant } from './invariant.js';
import { checkKeys, numberParam, perServerValue } from './params.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface HalfOpenTrialLimitParams extends Record<string, unknown> {
  max?: number;
}

const NAME = 'half-open-trial-limit';

interface Lane {
  halfOpen: boolean;
  limit: number;
  /** In-flight trials of the current half-open period: key → attempt-start. */
  trials: Map<number, HistoryEvent>;
  peak: number;
}

export const halfOpenTrialLimit: Invariant<HalfOpenTrialLimitParams> = {
  name: NAME,
  description: 'Concurrent half-open trial attempts per endpoint never exceed breaker.halfOpenTrials.',
  params(raw) {
    const r = checkKeys(NAME, raw, ['max']);
    const max = numberParam(NAME, r, 'max', { min: 0, integer: true });
    return max === undefined ? {} : { max };
  },
  check(history, params) {
    const v = new ViolationList();
    const index = endpointIndex(history);
    const limits: Record<string, number> = {};
    const lanes = new Map<string, Lane>();
    const lane = (ep: string): Lane => {
      let l = lanes.get(ep);
      if (!l) {
        const server = serverOf(history, ep);
        const limit = params.max ?? history.settings[server]?.breaker.halfOpenTrials ?? 1;
        l = { halfOpen: index.get(ep)?.breaker.initial === 'half-open', limit, trials: new Map(), peak: 0 };
        lanes.set(ep, l);
      }
      return l;
    };
    let periods = 0;
    let trials = 0;
    for (const e of history.events) {
      if (e.type === 'breaker') {
        const l = lane(e.endpoint);
        const half = e.to === 'half-open';
        if (half) periods++;
        l.trials.clear(); // any transition ends the current half-open period
        l.halfOpen = half;
      } else if (e.type === 'attempt-start') {
        if (!e.trial) continue;
        const l = lane(e.endpoint);
        if (!l.halfOpen) continue;
        trials++;
        l.trials.set(attemptKey(e.callId, e.attempt), e);
        l.peak = Math.max(l.peak, l.trials.size);
        if (l.trials.size > l.limit) {
          v.add(
            `${l.trials.size} concurrent half-open trials on ${e.endpoint} (limit ${l.limit}) when attempt ` +
              `${e.attempt} of call ${e.callId} started at ${at(e.t)}`,
            e.t,
            [...l.trials.values()],
            e.endpoint,
          );
        }
      } else if (e.type === 'attempt-end') {
        const l = lanes.get(e.endpoint);
        if (l && l.trials.size > 0) l.trials.delete(attemptKey(e.callId, e.attempt));
      }
    }
    for (const [server, st] of Object.entries(history.settings))
      limits[server] = params.max ?? st.breaker.halfOpenTrials;
    let peak = 0;
    for (const l of lanes.values()) peak = Math.max(peak, l.peak);
    const shown = { ...params, max: params.max ?? perServerValue(limits) };
    const summary =
      v.count === 0
        ? `${plural(periods, 'half-open period')}, ${plural(trials, 'trial')}, at most ${peak} at once`
        : `${plural(v.count, 'trial')} exceeded the limit (peak ${peak} at once)`;
    return invariantResult(NAME, shown, v, summary);
  },
};
