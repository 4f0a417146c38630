/**
 * Outages the scenario did not plan. A restart the scenario gives 1 s may take the environment 3 s (a
 * server starting on a busy machine); when that stretches it into the next replica's planned restart,
 * every replica of the server was down together — an outage no system under test can serve through, and
 * one the scenario's timeline did not ask for. Failures in it judge the environment, not the system.
 *
 * An unplanned outage is a span in which every replica of a server was out (its proxy `down`, or its
 * process killed, restarting or paused: the runner's inject → rollback, a restart's rollback coming when
 * the process answers again) while, by the planned times, at least one would have been serving — and not
 * the tail of a planned one (the only replica taking longer to start than its `for` is the fault itself).
 */
import { secondsText } from '../../core/index.js';
import type { History } from '../history.js';
import { type FaultWindow, faultWindows, serverOf } from '../stats/index.js';

export interface UnplannedOutage {
  server: string;
  fromT: number;
  toT: number;
  /** The faults that outlasted their plan into the span, e.g. `restart of weather[0] took 3.1s (planned 0.5s)`. */
  overruns: string[];
}

type Span = [number, number];

/** Faults that take a replica out of service. */
function takesOut(kind: string, detail: string): boolean {
  return kind === 'down' || (kind === 'process' && ['kill', 'restart', 'pause'].includes(detail));
}

/** Every unplanned outage of the run, by server and time. */
export function unplannedOutages(history: History): UnplannedOutage[] {
  const windows = faultWindows(history).filter((w) => takesOut(w.kind, w.detail));
  if (windows.length === 0) return [];
  const planned = new Map<string, Span[]>();
  for (const f of history.faults) {
    if (!takesOut(f.kind, f.detail)) continue;
    const endT = Number.isFinite(f.endT) ? f.endT : history.durationMs;
    for (const ep of f.endpoints) push(planned, ep, [f.startT, endT]);
  }
  const actual = new Map<string, Span[]>();
  for (const w of windows) push(actual, w.endpoint, [w.startT, w.endT]);
  const byServer = new Map<string, string[]>();
  for (const ep of Object.keys(history.endpoints)) push(byServer, serverOf(history, ep), ep);
  const out: UnplannedOutage[] = [];
  for (const [server, eps] of byServer) {
    const allDown = intersectAll(eps.map((ep) => union(actual.get(ep) ?? [])));
    if (allDown.length === 0) continue;
    const plannedDown = intersectAll(eps.map((ep) => union(planned.get(ep) ?? [])));
    for (const [fromT, toT] of subtract(allDown, plannedDown)) {
      // a planned outage that lasts longer (the only replica takes 2 s to start again) is the fault itself:
      // how long a server takes to come back is part of what a restart is
      if (plannedDown.some(([c, d]) => c <= toT && d >= fromT)) continue;
      const overruns = windows
        .filter((w) => w.server === server && w.startT < toT && w.endT > fromT)
        .map((w) => overrun(history, w))
        .filter((s): s is string => s !== undefined);
      out.push({ server, fromT, toT, overruns });
    }
  }
  return out.sort((a, b) => a.fromT - b.fromT);
}

/** What an unplanned outage was, for a check's inconclusive reason. */
export function describeOutage(o: UnplannedOutage): string {
  const why = o.overruns.length > 0 ? ` (${o.overruns.join('; ')})` : '';
  return `every replica of ${o.server} was out together in [${secondsText(o.fromT)}, ${secondsText(o.toT)}), which the scenario did not plan${why}`;
}

function overrun(history: History, w: FaultWindow): string | undefined {
  const f = history.faults.find((p) => p.name === w.fault);
  if (!f || !Number.isFinite(f.endT)) return undefined;
  const plannedMs = f.endT - f.startT;
  const tookMs = w.endT - w.startT;
  if (tookMs <= plannedMs) return undefined;
  return `${w.detail} of ${w.endpoint} took ${secondsText(tookMs)} (planned ${secondsText(plannedMs)})`;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Sorted, overlapping spans joined. */
export function union(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const out: Span[] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else if (b > a) out.push([a, b]);
  }
  return out;
}

function intersect(x: readonly Span[], y: readonly Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const a = Math.max(x[i]![0], y[j]![0]);
    const b = Math.min(x[i]![1], y[j]![1]);
    if (b > a) out.push([a, b]);
    if (x[i]![1] < y[j]![1]) i++;
    else j++;
  }
  return out;
}

function intersectAll(lists: readonly Span[][]): Span[] {
  if (lists.length === 0) return [];
  return lists.slice(1).reduce((acc, l) => intersect(acc, l), lists[0]!);
}

/** The parts of `x` not covered by `y` (both unions). */
export function subtract(x: readonly Span[], y: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const [a0, b] of x) {
    let a = a0;
    for (const [c, d] of y) {
      if (d <= a || c >= b) continue;
      if (c > a) out.push([a, c]);
      a = Math.max(a, d);
      if (a >= b) break;
    }
    if (a < b) out.push([a, b]);
  }
  return out;
}
