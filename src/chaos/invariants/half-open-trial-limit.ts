/**
 * `half-open-trial-limit`: while an endpoint's breaker is half-open, the trial attempts in flight on it
 * (attempt-start with `trial: true` not yet matched by its attempt-end) never exceed
 * `settings[server].breaker.halfOpenTrials`. Trials are counted per half-open period: leaving half-open
 * forgets them (a new half-open period starts from zero, as the breaker's own counter does).
 *
 * Params: `max` (integer ≥ 0, default from settings) overrides the limit for every server.
 */
import type { HistoryEvent } from '../history.js';
import { countBefore, endpointIndex } from '../stats/index.js';
import { attemptKey } from './attempt-key.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { checkKeys, numberParam, perServerValue } from './params.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface HalfOpenTrialLimitParams extends Record<string, unknown> {
  max?: number;
}

const NAME = 'half-open-trial-limit';

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {
  max: { kind: 'integer', doc: 'Overrides the trial limit for every server (≥ 0; default from settings).' },
};

export const halfOpenTrialLimit: Invariant<HalfOpenTrialLimitParams> = {
  name: NAME,
  description: 'Concurrent half-open trial attempts per endpoint never exceed breaker.halfOpenTrials.',
  paramDocs: PARAMS,
  params(raw) {
    const r = checkKeys(NAME, raw, Object.keys(PARAMS));
    const max = numberParam(NAME, r, 'max', { min: 0, integer: true });
    return max === undefined ? {} : { max };
  },
  check(history, params) {
    const v = new ViolationList();
    const limits: Record<string, number> = {};
    for (const [server, st] of Object.entries(history.settings))
      limits[server] = params.max ?? st.breaker.halfOpenTrials;
    let periods = 0;
    let trials = 0;
    let peak = 0;
    for (const rec of endpointIndex(history).values()) {
      const limit = params.max ?? history.settings[rec.server]?.breaker.halfOpenTrials ?? 1;
      const tr = rec.breaker;
      for (let k = -1; k < tr.t.length; k++) {
        if ((k < 0 ? tr.initial : tr.to[k]) !== 'half-open') continue;
        periods++;
        const fromSeq = k < 0 ? -1 : tr.seq[k]!;
        const toSeq = k + 1 < tr.t.length ? tr.seq[k + 1]! : Number.POSITIVE_INFINITY;
        // Merge the period's attempt-starts and attempt-ends by event position.
        let a = countBefore(rec.attemptSeq, fromSeq, true);
        let b = countBefore(rec.attemptEndSeq, fromSeq, true);
        const inFlight = new Map<number, HistoryEvent>();
        for (;;) {
          const sa = a < rec.attemptSeq.length ? rec.attemptSeq[a]! : Number.POSITIVE_INFINITY;
          const sb = b < rec.attemptEndSeq.length ? rec.attemptEndSeq[b]! : Number.POSITIVE_INFINITY;
          if (Math.min(sa, sb) >= toSeq) break;
          if (sb < sa) {
            if (inFlight.size > 0) {
              const end = rec.attemptEnds[b]!;
              inFlight.delete(attemptKey(end.callId, end.attempt));
            }
            b++;
            continue;
          }
          const e = rec.attempts[a++]!;
          if (!e.trial) continue;
          trials++;
          inFlight.set(attemptKey(e.callId, e.attempt), e);
          peak = Math.max(peak, inFlight.size);
          if (inFlight.size > limit) {
            const size = inFlight.size;
            const held = [...inFlight.values()];
            v.addLazy(e.t, () => ({
              message:
                `${size} concurrent half-open trials on ${e.endpoint} (limit ${limit}) when attempt ` +
                `${e.attempt} of call ${e.callId} started at ${at(e.t)}`,
              events: held,
              endpoint: e.endpoint,
            }));
          }
        }
      }
    }
    const shown = { ...params, max: params.max ?? perServerValue(limits) };
    const summary =
      v.count === 0
        ? `${plural(periods, 'half-open period')}, ${plural(trials, 'trial')}, at most ${peak} at once`
        : `${plural(v.count, 'trial')} exceeded the limit (peak ${peak} at once)`;
    return invariantResult(NAME, shown, v, summary);
  },
};
