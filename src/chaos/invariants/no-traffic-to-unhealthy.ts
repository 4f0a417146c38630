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
import type { BreakerState, HealthState } from '../../manager/types.js';
import type { HistoryEvent } from '../history.js';
import { endpointIndex } from '../stats/endpoint-index.js';
import { relativeT } from '../stats/relative-time.js';
import type { Invariant } from './invariant.js';
import { checkKeys, durationParam } from './params.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface NoTrafficToUnhealthyParams extends Record<string, unknown> {
  graceMs: number;
}

const NAME = 'no-traffic-to-unhealthy';
const NEG = Number.NEGATIVE_INFINITY;

interface Lane {
  endpoint: string;
  probes: boolean;
  health: HealthState;
  healthSince: number;
  healthEvent: HistoryEvent | undefined;
  breaker: BreakerState;
  breakerSince: number;
  ejectedFrom: number;
  ejectedUntil: number;
  ejectionEvent: HistoryEvent | undefined;
  peers: Lane[];
}

export const noTrafficToUnhealthy: Invariant<NoTrafficToUnhealthyParams> = {
  name: NAME,
  description:
    'No first attempt goes to an unhealthy or ejected endpoint while another endpoint of its server is healthy and closed.',
  params(raw) {
    const r = checkKeys(NAME, raw, ['grace']);
    return { graceMs: durationParam(NAME, r, 'grace') ?? 0 };
  },
  check(history, params) {
    const v = new ViolationList();
    const grace = params.graceMs;
    const lanes = new Map<string, Lane>();
    const byServer = new Map<string, Lane[]>();
    for (const rec of endpointIndex(history).values()) {
      const lane: Lane = {
        endpoint: rec.endpoint,
        probes: history.settings[rec.server]?.health.probe !== 'none',
        health: rec.health.initial,
        healthSince: NEG,
        healthEvent: undefined,
        breaker: rec.breaker.initial,
        breakerSince: NEG,
        ejectedFrom: NEG,
        ejectedUntil: NEG,
        ejectionEvent: undefined,
        peers: [],
      };
      lanes.set(rec.endpoint, lane);
      const list = byServer.get(rec.server) ?? [];
      list.push(lane);
      byServer.set(rec.server, list);
    }
    for (const list of byServer.values()) for (const l of list) l.peers = list.filter((o) => o !== l);

    let firsts = 0;
    for (const e of history.events) {
      switch (e.type) {
        case 'health': {
          const l = lanes.get(e.endpoint);
          if (!l) break;
          l.health = e.to;
          l.healthSince = e.t;
          l.healthEvent = e;
          break;
        }
        case 'breaker': {
          const l = lanes.get(e.endpoint);
          if (!l) break;
          l.breaker = e.to;
          l.breakerSince = e.t;
          break;
        }
        case 'ejection': {
          const l = lanes.get(e.endpoint);
          if (!l) break;
          if (e.ejected) {
            l.ejectedFrom = e.t;
            l.ejectedUntil = e.untilT === undefined ? Number.POSITIVE_INFINITY : relativeT(history, e.untilT);
            l.ejectionEvent = e;
          } else {
            l.ejectedUntil = Math.min(l.ejectedUntil, e.t);
          }
          break;
        }
        case 'attempt-start': {
          if (e.kind !== 'first') break;
          firsts++;
          const l = lanes.get(e.endpoint);
          if (!l) break;
          const t = e.t;
          const sick = l.health === 'unhealthy' && t - l.healthSince > grace;
          const ejected = t >= l.ejectedFrom && t < l.ejectedUntil && t - l.ejectedFrom > grace;
          if (!sick && !ejected) break;
          const good = l.peers.find((o) => isGood(o, t, grace));
          if (!good) break;
          const why = sick
            ? `unhealthy since ${at(l.healthSince)}`
            : `ejected since ${at(l.ejectedFrom)}${Number.isFinite(l.ejectedUntil) ? ` until ${at(l.ejectedUntil)}` : ''}`;
          v.add(
            `first attempt of call ${e.callId} went to ${e.endpoint} (${why}) while ${good.endpoint} was healthy and closed`,
            t,
            [sick ? l.healthEvent : l.ejectionEvent, e],
            e.endpoint,
          );
          break;
        }
        default:
          break;
      }
    }
    const summary =
      v.count === 0
        ? `${plural(firsts, 'first attempt')}, none sent to an unhealthy or ejected endpoint while a healthy one was available`
        : `${plural(v.count, 'first attempt')} of ${firsts} went to an unhealthy or ejected endpoint`;
    return invariantResult(NAME, params, v, summary);
  },
};

function isGood(o: Lane, t: number, grace: number): boolean {
  const healthy = o.probes ? o.health === 'healthy' : o.health !== 'unhealthy';
  if (!healthy || t - o.healthSince <= grace) return false;
  if ((o.breaker !== 'closed' && o.breaker !== 'disabled') || t - o.breakerSince <= grace) return false;
  if (t >= o.ejectedFrom && t < o.ejectedUntil) return false;
  if (Number.isFinite(o.ejectedUntil) && t - o.ejectedUntil <= grace && o.ejectedUntil <= t) return false;
  return true;
}
