/**
 * `ejection-limit-respected`: at any time, the ejected endpoints of a server number at most
 * max(1, floor(n × ejection.maxPercent / 100)), n = the server's endpoints. An ejection ends at an
 * `ejected: false` event or at its `untilT`, whichever is earlier.
 *
 * Params: `max` (integer ≥ 1) overrides the limit for every server.
 */
import type { HistoryEvent } from '../history.js';
import { endpointIndex, historyIndex, relativeT } from '../stats/index.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { checkKeys, numberParam, perServerValue } from './params.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface EjectionLimitParams extends Record<string, unknown> {
  max?: number;
}

const NAME = 'ejection-limit-respected';

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {
  max: { kind: 'integer', doc: 'Overrides the limit of ejected endpoints for every server (≥ 1).' },
};

export const ejectionLimitRespected: Invariant<EjectionLimitParams> = {
  name: NAME,
  description: 'Ejected endpoints of a server never exceed max(1, floor(n × maxPercent / 100)).',
  paramDocs: PARAMS,
  params(raw) {
    const r = checkKeys(NAME, raw, Object.keys(PARAMS));
    const max = numberParam(NAME, r, 'max', { min: 1, integer: true });
    return max === undefined ? {} : { max };
  },
  check(history, params) {
    const v = new ViolationList();
    const sizes = new Map<string, number>();
    const serverOf = new Map<string, string>();
    for (const rec of endpointIndex(history).values()) {
      sizes.set(rec.server, (sizes.get(rec.server) ?? 0) + 1);
      serverOf.set(rec.endpoint, rec.server);
    }
    const limits: Record<string, number> = {};
    for (const [server, n] of sizes) {
      const pct = history.settings[server]?.ejection.maxPercent ?? 50;
      limits[server] = params.max ?? Math.max(1, Math.floor((n * pct) / 100));
    }
    // server → endpoint → { until, event }
    const ejected = new Map<string, Map<string, { until: number; event: HistoryEvent }>>();
    let ejections = 0;
    let peak = 0;
    for (const e of historyIndex(history).ejection) {
      const server = serverOf.get(e.endpoint);
      if (server === undefined) continue;
      let set = ejected.get(server);
      if (!set) {
        set = new Map();
        ejected.set(server, set);
      }
      for (const [ep, x] of set) if (x.until <= e.t) set.delete(ep);
      if (!e.ejected) {
        set.delete(e.endpoint);
        continue;
      }
      ejections++;
      const until = e.untilT === undefined ? Number.POSITIVE_INFINITY : relativeT(history, e.untilT);
      set.set(e.endpoint, { until, event: e });
      peak = Math.max(peak, set.size);
      const limit = limits[server]!;
      if (set.size > limit) {
        v.add(
          `${set.size} of ${sizes.get(server)} endpoints of ${server} ejected at ${at(e.t)} ` +
            `(${[...set.keys()].join(', ')}); limit ${limit}`,
          e.t,
          [...set.values()].map((x) => x.event),
          e.endpoint,
        );
      }
    }
    const shown = { ...params, max: params.max ?? perServerValue(limits) };
    const summary =
      v.count === 0
        ? `${plural(ejections, 'ejection')}, at most ${peak} endpoint(s) of a server ejected at once`
        : `${plural(v.count, 'ejection')} exceeded the limit`;
    return invariantResult(NAME, shown, v, summary);
  },
};
