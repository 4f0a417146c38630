/**
 * When each fault was actually active on each endpoint. The runner's `fault` events (inject / rollback)
 * give the real times; the planned fault fills in what the events do not say. A fault planned without an
 * end (`for` omitted) lasts until the end of load (`durationMs`) unless a rollback event says otherwise.
 */
import type { FaultEvent, FaultKind, History } from '../history.js';
import { historyIndex } from './history-index.js';
import { serverOf } from './server-of.js';

export interface FaultWindow {
  fault: string;
  endpoint: string;
  /** Server of the endpoint (from `history.endpoints`; the part before `[` when unknown). */
  server: string;
  /** Inject time, ms since load start. */
  startT: number;
  /** Rollback time (or planned end, or end of load). */
  endT: number;
  /** Planned without an end: it ran until load ended. */
  openEnded: boolean;
  kind: FaultKind;
  detail: string;
  /** The runner's inject/rollback events for this fault on this endpoint. */
  events: FaultEvent[];
}

const cache = new WeakMap<History, { length: number; windows: FaultWindow[] }>();

/** Every (fault, endpoint) window, sorted by start time. Cached per history. */
export function faultWindows(history: History): FaultWindow[] {
  const hit = cache.get(history);
  if (hit && hit.length === history.events.length) return hit.windows;
  const windows = buildFaultWindows(history);
  cache.set(history, { length: history.events.length, windows });
  return windows;
}

function buildFaultWindows(history: History): FaultWindow[] {
  const injects = new Map<string, number>();
  const rollbacks = new Map<string, number>();
  const seen = new Map<
    string,
    { kind: FaultWindow['kind']; detail: string; fault: string; endpoint: string }
  >();
  const evs = new Map<string, FaultEvent[]>();
  for (const e of historyIndex(history).fault) {
    const key = `${e.fault}\u0000${e.endpoint}`;
    const list = evs.get(key);
    if (list) list.push(e);
    else evs.set(key, [e]);
    const map = e.action === 'inject' ? injects : rollbacks;
    if (!map.has(key)) map.set(key, e.t);
    if (!seen.has(key))
      seen.set(key, { kind: e.kind, detail: e.detail, fault: e.fault, endpoint: e.endpoint });
  }
  const out: FaultWindow[] = [];
  const planned = new Set<string>();
  for (const f of history.faults) {
    const openEnded = f.endT === undefined || f.endT === null || !Number.isFinite(f.endT);
    for (const endpoint of f.endpoints) {
      const key = `${f.name}\u0000${endpoint}`;
      planned.add(key);
      const startT = injects.get(key) ?? f.startT;
      const endT = rollbacks.get(key) ?? (openEnded ? history.durationMs : f.endT);
      out.push({
        fault: f.name,
        endpoint,
        server: serverOf(history, endpoint),
        startT,
        endT: Math.max(startT, endT),
        openEnded,
        kind: f.kind,
        detail: f.detail,
        events: evs.get(key) ?? [],
      });
    }
  }
  for (const [key, s] of seen) {
    if (planned.has(key)) continue;
    const startT = injects.get(key);
    if (startT === undefined) continue;
    const endT = rollbacks.get(key);
    out.push({
      fault: s.fault,
      endpoint: s.endpoint,
      server: serverOf(history, s.endpoint),
      startT,
      endT: Math.max(startT, endT ?? history.durationMs),
      openEnded: endT === undefined,
      kind: s.kind,
      detail: s.detail,
      events: evs.get(key) ?? [],
    });
  }
  out.sort((a, b) => a.startT - b.startT);
  return out;
}

/** Merged fault intervals of one endpoint: [startT, endT] pairs, sorted, overlapping ones joined. */
export function faultedIntervals(windows: readonly FaultWindow[], endpoint: string): Array<[number, number]> {
  const own = windows.filter((w) => w.endpoint === endpoint).map((w): [number, number] => [w.startT, w.endT]);
  own.sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const iv of own) {
    const last = out[out.length - 1];
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else out.push([iv[0], iv[1]]);
  }
  return out;
}
