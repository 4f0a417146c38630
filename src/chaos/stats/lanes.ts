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
  for (const rec of endpointIndex(history).values()) {
    let failures = 0;
    for (const o of rec.attemptEndOutcome) if (o !== 'success') failures++;
    const lane: EndpointLane = {
      endpoint: rec.endpoint,
      breaker: intervals(rec.breaker, startT, endT),
      health: intervals(rec.health, startT, endT),
      calls: rec.attemptT.length,
      failures,
    };
    const eras = eraIntervals(history, rec.endpoint, endT);
    if (eras.length > 0) lane.eras = eras;
    out.push(lane);
  }
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
