/**
 * Per-endpoint lanes for charts: breaker and health state intervals over the run, and the endpoint's
 * traffic. A lane spans from min(0, first event) to max(durationMs, last event); zero-length intervals
 * are dropped. `calls` counts attempts sent to the endpoint, `failures` attempts that ended other than
 * `success`.
 */
import type { History } from '../history.js';
import type { EndpointLane } from '../journal.js';
import type { StateTrack } from './endpoint-index.js';
import { endpointIndex } from './history-index.js';
import { historySpan } from './history-span.js';

export function lanes(history: History): EndpointLane[] {
  const { startT, endT } = historySpan(history);
  const out: EndpointLane[] = [];
  const fleet = fleetIntervals(history);
  for (const rec of endpointIndex(history).values()) {
    let failures = 0;
    for (const o of rec.attemptEndOutcome) if (o !== 'success') failures++;
    // an endpoint a live fleet added or removed has states only while it was in the fleet
    const member = fleet.get(rec.endpoint);
    const from = member?.[0]?.fromT ?? startT;
    const to = member?.[member.length - 1]?.toT ?? endT;
    const lane: EndpointLane = {
      endpoint: rec.endpoint,
      breaker: intervals(rec.breaker, from, to),
      health: intervals(rec.health, from, to),
      calls: rec.attemptT.length,
      failures,
    };
    if (member) lane.fleet = member;
    const eras = eraIntervals(history, rec.endpoint, endT);
    if (eras.length > 0) lane.eras = eras;
    out.push(lane);
  }
  return out;
}

/**
 * Per endpoint with `fleet` events: joining (added → admitted), serving (→ draining), draining (→
 * removed); an endpoint first seen draining served from the start of the run.
 */
function fleetIntervals(history: History): Map<string, NonNullable<EndpointLane['fleet']>> {
  const { startT, endT } = historySpan(history);
  const out = new Map<string, NonNullable<EndpointLane['fleet']>>();
  const state = new Map<string, { since: number; state: 'joining' | 'serving' | 'draining' }>();
  const close = (ep: string, t: number) => {
    const s = state.get(ep);
    const list = out.get(ep) ?? [];
    out.set(ep, list);
    if (s && t > s.since) list.push({ fromT: s.since, toT: t, state: s.state });
  };
  for (const e of history.events) {
    if (e.type !== 'fleet') continue;
    const ep = e.endpoint;
    if (e.action === 'added') {
      out.set(ep, out.get(ep) ?? []);
      state.set(ep, { since: e.t, state: 'joining' });
    } else if (e.action === 'admitted') {
      close(ep, e.t);
      state.set(ep, { since: e.t, state: 'serving' });
    } else if (e.action === 'draining') {
      if (!state.has(ep)) state.set(ep, { since: startT, state: 'serving' });
      close(ep, e.t);
      state.set(ep, { since: e.t, state: 'draining' });
    } else {
      close(ep, e.t);
      state.delete(ep);
    }
  }
  for (const ep of state.keys()) close(ep, Math.max(endT, state.get(ep)?.since ?? endT));
  return out;
}

/** The era spoken to `endpoint`: from each `era` event to the next (or the end of the run). */
function eraIntervals(history: History, endpoint: string, endT: number): NonNullable<EndpointLane['eras']> {
  const out: NonNullable<EndpointLane['eras']> = [];
  for (const e of history.events) {
    if (e.type !== 'connection' || e.kind !== 'era' || e.endpoint !== endpoint || !e.era) continue;
    const last = out[out.length - 1];
    if (last) last.toT = e.t;
    if (last?.era === e.era) continue;
    out.push({ fromT: e.t, toT: Math.max(endT, e.t), era: e.era });
  }
  if (out.length > 0)
    (out[out.length - 1] as { toT: number }).toT = Math.max(
      endT,
      (out[out.length - 1] as { fromT: number }).fromT,
    );
  return out;
}

function intervals<S extends string>(track: StateTrack<S>, startT: number, endT: number) {
  const out: Array<{ fromT: number; toT: number; state: string }> = [];
  let from = startT;
  let state: string = track.initial;
  const push = (to: number) => {
    if (to <= from) return;
    const last = out[out.length - 1];
    if (last && last.state === state && last.toT === from) last.toT = to;
    else out.push({ fromT: from, toT: to, state });
  };
  for (let i = 0; i < track.t.length; i++) {
    const t = Math.max(from, track.t[i]!);
    push(t);
    from = t;
    state = track.to[i]!;
  }
  push(Math.max(endT, from));
  return out;
}
