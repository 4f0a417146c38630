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
    out.push({
      endpoint: rec.endpoint,
      breaker: intervals(rec.breaker, startT, endT),
      health: intervals(rec.health, startT, endT),
      calls: rec.attemptT.length,
      failures,
    });
  }
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
