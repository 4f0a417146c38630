/**
 * `no-traffic-to-unhealthy`: no first attempt (kind `first`) goes to an endpoint that is unhealthy or
 * ejected while another endpoint of the same server is healthy, closed and not ejected.
 *
 * "Healthy" means health `healthy` (with probe `none`: anything but `unhealthy`); "closed" means breaker
 * closed or disabled. Ejections end at an `ejected: false` event or at `untilT`, whichever is earlier.
 *
 * Params: `grace` (duration, default 0) — a state change at most `grace` before the attempt is not held
 * against it (for either endpoint). With 0, events at the same instant are tolerated: the balancer's
 * choice and a probe's verdict landing in the same millisecond are not ordered.
 */
import type { HistoryEvent } from '../history.js';
import { countBefore, type EndpointRecord, endpointIndex, lastTransitionBeforeSeq } from '../stats/index.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { checkKeys, durationParam } from './params.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface NoTrafficToUnhealthyParams extends Record<string, unknown> {
  graceMs: number;
}

const NAME = 'no-traffic-to-unhealthy';

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {
  grace: {
    kind: 'duration',
    doc: 'A state change at most this long before an attempt is not held against it (default 0).',
  },
};

export const noTrafficToUnhealthy: Invariant<NoTrafficToUnhealthyParams> = {
  name: NAME,
  description:
    'No first attempt goes to an unhealthy or ejected endpoint while another endpoint of its server is healthy and closed.',
  paramDocs: PARAMS,
  params(raw) {
    const r = checkKeys(NAME, raw, Object.keys(PARAMS));
    return { graceMs: durationParam(NAME, r, 'grace') ?? 0 };
  },
  check(history, params) {
    const v = new ViolationList();
    const grace = params.graceMs;
    const index = endpointIndex(history);
    const peersOf = new Map<string, EndpointRecord[]>();
    for (const rec of index.values()) {
      const list = peersOf.get(rec.server) ?? [];
      list.push(rec);
      peersOf.set(rec.server, list);
    }
    const probes = (rec: EndpointRecord) => history.settings[rec.server]?.health.probe !== 'none';
    let firsts = 0;
    let judged = 0;
    const judge = (rec: EndpointRecord, a: number, why: () => string, cause: HistoryEvent | undefined) => {
      const e = rec.attempts[a]!;
      if (e.kind !== 'first') return;
      judged++;
      const good = peersOf
        .get(rec.server)!
        .find((o) => o !== rec && isGood(o, e.t, rec.attemptSeq[a]!, grace, probes(o)));
      if (!good) return;
      v.addLazy(e.t, () => ({
        message: `first attempt of call ${e.callId} went to ${e.endpoint} (${why()}) while ${good.endpoint} was healthy and closed`,
        events: [cause, e],
        endpoint: e.endpoint,
      }));
    };
    for (const rec of index.values()) {
      firsts += rec.firstAttempts;
      const h = rec.health;
      for (let k = -1; k < h.t.length; k++) {
        if ((k < 0 ? h.initial : h.to[k]) !== 'unhealthy') continue;
        const fromSeq = k < 0 ? -1 : h.seq[k]!;
        const toSeq = k + 1 < h.t.length ? h.seq[k + 1]! : Number.POSITIVE_INFINITY;
        const since = k < 0 ? Number.NEGATIVE_INFINITY : h.t[k]!;
        for (let a = countBefore(rec.attemptSeq, fromSeq, true); a < rec.attemptSeq.length; a++) {
          if (rec.attemptSeq[a]! >= toSeq) break;
          if (rec.attemptT[a]! - since <= grace) continue;
          judge(rec, a, () => `unhealthy since ${at(since)}`, h.events[k]);
        }
      }
      for (const iv of rec.ejections) {
        for (let a = countBefore(rec.attemptT, iv.fromT, false); a < rec.attemptT.length; a++) {
          const t = rec.attemptT[a]!;
          if (t >= iv.toT) break;
          if (t - iv.fromT <= grace) continue;
          const hi = lastTransitionBeforeSeq(h, rec.attemptSeq[a]!);
          if ((hi < 0 ? h.initial : h.to[hi]) === 'unhealthy' && t - (hi < 0 ? -Infinity : h.t[hi]!) > grace)
            continue;
          const until = Number.isFinite(iv.toT) ? ` until ${at(iv.toT)}` : '';
          judge(rec, a, () => `ejected since ${at(iv.fromT)}${until}`, iv.event);
        }
      }
    }
    const summary =
      v.count === 0
        ? `${plural(firsts, 'first attempt')} (${judged} to an unhealthy or ejected endpoint, none while a healthy one was available)`
        : `${plural(v.count, 'first attempt')} of ${firsts} went to an unhealthy or ejected endpoint`;
    return invariantResult(NAME, params, v, summary);
  },
};

/** Healthy, closed and not ejected at time t (just before position seq), each for longer than `grace`. */
function isGood(o: EndpointRecord, t: number, seq: number, grace: number, probes: boolean): boolean {
  const hi = lastTransitionBeforeSeq(o.health, seq);
  const health = hi < 0 ? o.health.initial : o.health.to[hi]!;
  const healthy = probes ? health === 'healthy' : health !== 'unhealthy';
  if (!healthy || (hi >= 0 && t - o.health.t[hi]! <= grace)) return false;
  const bi = lastTransitionBeforeSeq(o.breaker, seq);
  const breaker = bi < 0 ? o.breaker.initial : o.breaker.to[bi]!;
  if ((breaker !== 'closed' && breaker !== 'disabled') || (bi >= 0 && t - o.breaker.t[bi]! <= grace))
    return false;
  for (let i = o.ejections.length - 1; i >= 0; i--) {
    const iv = o.ejections[i]!;
    if (iv.fromT > t) continue;
    return !(t < iv.toT || t - iv.toT <= grace);
  }
  return true;
}
