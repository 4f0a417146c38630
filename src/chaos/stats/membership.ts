/**
 * When each endpoint was in the fleet and taking new calls, from the manager's `fleet` events: an
 * endpoint with none served the whole run; one that was `added` serves from `admitted`; `draining` and
 * `removed` end its service. An endpoint added and never admitted never served.
 */
import type { History } from '../history.js';

export type ServingInterval = [fromT: number, toT: number];

const cache = new WeakMap<History, Map<string, ServingInterval[]>>();

/** endpoint → its serving intervals (only endpoints with fleet events; the others served throughout). */
export function servingIntervals(history: History): Map<string, ServingInterval[]> {
  const hit = cache.get(history);
  if (hit) return hit;
  const out = new Map<string, ServingInterval[]>();
  const open = new Map<string, number>();
  for (const e of history.events) {
    if (e.type !== 'fleet') continue;
    const list = out.get(e.endpoint) ?? [];
    out.set(e.endpoint, list);
    if (e.action === 'admitted') open.set(e.endpoint, e.t);
    else if (e.action === 'draining' || e.action === 'removed') {
      const from = open.get(e.endpoint);
      // an original endpoint's first event is its drain: it served from the start
      if (from !== undefined) list.push([from, e.t]);
      else if (list.length === 0 && e.action === 'draining') list.push([Number.NEGATIVE_INFINITY, e.t]);
      open.delete(e.endpoint);
    }
  }
  for (const [ep, from] of open) out.get(ep)?.push([from, Number.POSITIVE_INFINITY]);
  cache.set(history, out);
  return out;
}

/** Whether `endpoint` was serving through all of [from, to). */
export function servingThrough(history: History, endpoint: string, from: number, to: number): boolean {
  const list = servingIntervals(history).get(endpoint);
  if (list === undefined) return true;
  return list.some(([a, b]) => a <= from && b >= to);
}
