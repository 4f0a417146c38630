/**
 * Moments worth a marker on the timeline chart, read from the journal's history: a process that exited
 * or was restarted, each deploy step, and the moment traffic left a faulted replica (its last new
 * attempt during the fault, when the fault outlived it by a clear margin).
 */
import type { Journal } from '../chaos/journal.js';
import { formatT } from './format.js';

export interface ChartMarker {
  t: number;
  kind: 'process' | 'deploy' | 'traffic-left';
  /** The endpoint it is about, when it is about one. */
  endpoint?: string;
  text: string;
}

/** A fault must outlast the last attempt by this much (ms) for "traffic left" to mean something. */
const LEFT_MARGIN_MS = 250;
/** Markers kept (a pathological history must not bloat the page). */
const MAX_MARKERS = 200;

export function chartMarkers(journal: Journal): ChartMarker[] {
  const events = journal.history?.events ?? [];
  const out: ChartMarker[] = [];
  for (const e of events) {
    if (e.type === 'connection' && (e.kind === 'process-exit' || e.kind === 'process-restart')) {
      const what = e.kind === 'process-exit' ? 'process exited' : 'process restarted';
      out.push({
        t: e.t,
        kind: 'process',
        endpoint: e.endpoint,
        text: `${e.endpoint}: ${what} (${e.detail ?? ''})`,
      });
    } else if (e.type === 'deploy') {
      const who = e.endpoint ? ` ${e.endpoint}` : '';
      const why = e.detail && (e.action === 'halted' || e.action === 'not-admitted') ? `: ${e.detail}` : '';
      out.push({
        t: e.t,
        kind: 'deploy',
        ...(e.endpoint ? { endpoint: e.endpoint } : {}),
        text: `deploy ${e.fault}:${who} ${e.action}${why}`,
      });
    }
  }
  // from a sampled history the last attempt seen may not be the last one made
  if (!journal.historyTruncated) out.push(...trafficLeft(journal));
  out.sort((a, b) => a.t - b.t);
  return out.slice(0, MAX_MARKERS);
}

/** Per (non-deploy) fault and endpoint: when its last new attempt during the fault started. */
function trafficLeft(journal: Journal): ChartMarker[] {
  const events = journal.history?.events ?? [];
  const out: ChartMarker[] = [];
  for (const f of journal.faults ?? []) {
    if (f.kind === 'deploy') continue;
    const end = Number.isFinite(f.endT) ? f.endT : (journal.history?.durationMs ?? f.startT);
    for (const ep of f.endpoints) {
      let last: number | undefined;
      let any = false;
      for (const e of events) {
        if (e.type !== 'attempt-start' || e.endpoint !== ep || e.t < f.startT || e.t >= end) continue;
        any = true;
        last = e.t;
      }
      const at = any && last !== undefined ? last : f.startT;
      if (end - at < LEFT_MARGIN_MS) continue;
      out.push({
        t: at,
        kind: 'traffic-left',
        endpoint: ep,
        text: any
          ? `traffic left ${ep}: its last new attempt during fault ${f.name} (until ${formatT(end)})`
          : `no new attempt reached ${ep} during fault ${f.name} (until ${formatT(end)})`,
      });
    }
  }
  return out;
}
