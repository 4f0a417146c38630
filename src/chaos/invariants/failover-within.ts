/**
 * `failover-within`: after a fault starts on some replicas of a server, the availability of that server's
 * calls is back at `availability` or better within `within` and stays there until the fault ends.
 *
 * Availability is measured over every sliding window of `window` (calls by start time: successful ÷
 * started, unfinished calls count as failed) that lies inside [fault start + within, fault end]. Windows
 * with fewer than `minCalls` calls are skipped. Excluded from the checked time: the first `within` after
 * any other fault starts on the same server, and any time when every replica of the server is faulted
 * (plus `within` after it, to bring a freed replica back).
 * A server with one replica, or a fault that leaves no replica unfaulted, is vacuous (noted in the
 * summary). Consecutive failing windows are reported as one violation with the worst window.
 *
 * Params: `fault` (name, default every fault), `within` (duration, default 1s), `availability` (ratio or
 * `99%`, default 0.99), `window` (duration, default 500ms), `minCalls` (integer ≥ 1, default 1).
 */
import {
  type CallTable,
  callTable,
  type FaultWindow,
  failedByTime,
  faultedIntervals,
  faultWindows,
  slideWindows,
} from '../stats/index.js';
import { selectWindows } from './fault-selection.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { checkKeys, durationParam, numberParam, stringParam } from './params.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface FailoverWithinParams extends Record<string, unknown> {
  fault?: string;
  withinMs: number;
  availability: number;
  windowMs: number;
  minCalls: number;
}

const NAME = 'failover-within';
type Interval = [number, number];

interface FaultGroup {
  fault: string;
  server: string;
  startT: number;
  endT: number;
  windows: FaultWindow[];
}

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {
  fault: { kind: 'fault', doc: 'The fault (default: every fault but deploys).' },
  within: {
    kind: 'duration',
    doc: 'How soon after the fault starts availability must be back (default 1s).',
  },
  availability: { kind: 'ratio', doc: 'Availability each window after that must reach (default 0.99).' },
  window: { kind: 'duration', doc: 'Width of the windows availability is measured over (default 500ms).' },
  minCalls: { kind: 'integer', doc: 'Windows with fewer calls are not judged (default 1).' },
};

export const failoverWithin: Invariant<FailoverWithinParams> = {
  name: NAME,
  blackBox: true,
  description:
    "After a replica fault starts, the server's availability over sliding windows is back above a level within a time and stays there.",
  paramDocs: PARAMS,
  params(raw) {
    const r = checkKeys(NAME, raw, Object.keys(PARAMS));
    const out: FailoverWithinParams = {
      withinMs: durationParam(NAME, r, 'within') ?? 1000,
      availability: numberParam(NAME, r, 'availability', { min: 0, max: 1, percent: true }) ?? 0.99,
      windowMs: durationParam(NAME, r, 'window') ?? 500,
      minCalls: numberParam(NAME, r, 'minCalls', { min: 1, integer: true }) ?? 1,
    };
    if (out.windowMs <= 0)
      throw new RangeError(`invariant ${NAME}: param window must be > 0, got ${out.windowMs}`);
    const fault = stringParam(NAME, r, 'fault');
    if (fault !== undefined) out.fault = fault;
    return out;
  },
  check(history, params) {
    const v = new ViolationList();
    const selected = selectWindows(history, params.fault, v);
    const groups = groupFaults(selected);
    const all = faultWindows(history);
    const allGroups = groupFaults(all);
    const table = callTable(history);
    const rowsByServer = new Map<string, Rows>();
    let checked = 0;
    let windowsSeen = 0;
    const notes: string[] = [];
    for (const g of groups) {
      const replicas = Object.keys(history.endpoints).filter((ep) => history.endpoints[ep] === g.server);
      if (replicas.length <= 1) {
        notes.push(`${g.fault}: ${g.server} has one replica`);
        continue;
      }
      // While every replica is faulted there is nothing to fail over to; once one is free again the manager
      // gets the same `within` to bring it back (its breaker may still be open, its health still bad).
      const exempt: Interval[] = allFaultedIntervals(all, replicas).map(([s, e]) => [s, e + params.withinMs]);
      for (const o of allGroups) {
        if (o.server === g.server && o.fault !== g.fault && o.startT > g.startT && o.startT < g.endT)
          exempt.push([o.startT, o.startT + params.withinMs]);
      }
      const regions = subtract([g.startT + params.withinMs, g.endT], exempt);
      if (regions.length === 0) {
        notes.push(`${g.fault}: nothing to check (fault shorter than within, or no replica left unfaulted)`);
        continue;
      }
      checked++;
      let rows = rowsByServer.get(g.server);
      if (!rows) {
        rows = serverRows(table, g.server);
        rowsByServer.set(g.server, rows);
      }
      for (const [a, b] of regions) windowsSeen += checkRegion(rows, a, b, g, params, v);
    }
    const note = notes.length ? `; vacuous: ${notes.slice(0, 3).join('; ')}` : '';
    const summary =
      v.count === 0
        ? `${plural(checked, 'fault')} checked over ${plural(windowsSeen, 'window')}, availability ≥ ${params.availability} ` +
          `from ${params.withinMs}ms after each start${note}`
        : `${plural(v.count, 'stretch', 'stretches')} of windows below ${params.availability}${note}`;
    return invariantResult(NAME, params, v, summary);
  },
};

function checkRegion(
  rows: Rows,
  a: number,
  b: number,
  g: FaultGroup,
  params: FailoverWithinParams,
  v: ViolationList,
): number {
  let total = 0;
  let ok = 0;
  let timed = 0;
  let visits = 0;
  let stretch:
    | {
        startS: number;
        worst: number;
        worstS: number;
        worstOk: number;
        worstTotal: number;
        /** Every failed call of every window of the stretch failed by time. */
        byTime: boolean;
      }
    | undefined;
  const flush = () => {
    if (!stretch) return;
    const s = stretch;
    v.add(
      `${g.server} availability ${s.worst.toFixed(4)} (${s.worstOk}/${s.worstTotal}) in window ` +
        `[${at(s.worstS)}, ${at(s.worstS + params.windowMs)}) is below ${params.availability}, ` +
        `${Math.round(s.startS - g.startT)}ms after fault ${g.fault} started at ${at(g.startT)} ` +
        `(required from ${params.withinMs}ms)`,
      s.startS,
      g.windows.map((w) => w.events[0]),
      g.windows.length === 1 ? g.windows[0]!.endpoint : undefined,
      s.byTime ? 'time' : undefined,
    );
    stretch = undefined;
  };
  slideWindows(rows.t, a, b, params.windowMs, {
    add(i) {
      total++;
      ok += rows.ok[i]!;
      timed += rows.timed[i]!;
    },
    remove(i) {
      total--;
      ok -= rows.ok[i]!;
      timed -= rows.timed[i]!;
    },
    visit(s) {
      visits++;
      if (total < params.minCalls) return;
      const avail = ok / total;
      if (avail >= params.availability) {
        flush();
        return;
      }
      const byTime = timed === total - ok;
      if (!stretch) stretch = { startS: s, worst: avail, worstS: s, worstOk: ok, worstTotal: total, byTime };
      else {
        stretch.byTime &&= byTime;
        if (avail < stretch.worst)
          Object.assign(stretch, { worst: avail, worstS: s, worstOk: ok, worstTotal: total });
      }
    },
  });
  flush();
  return visits;
}

function groupFaults(windows: readonly FaultWindow[]): FaultGroup[] {
  const by = new Map<string, FaultGroup>();
  for (const w of windows) {
    const key = `${w.fault}\u0000${w.server}`;
    const g = by.get(key);
    if (!g) by.set(key, { fault: w.fault, server: w.server, startT: w.startT, endT: w.endT, windows: [w] });
    else {
      g.startT = Math.min(g.startT, w.startT);
      g.endT = Math.max(g.endT, w.endT);
      g.windows.push(w);
    }
  }
  return [...by.values()];
}

/** Intervals during which every one of `replicas` is under some fault. */
function allFaultedIntervals(windows: readonly FaultWindow[], replicas: string[]): Interval[] {
  const edges: Array<[number, number]> = [];
  for (const ep of replicas) for (const [s, e] of faultedIntervals(windows, ep)) edges.push([s, 1], [e, -1]);
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: Interval[] = [];
  let count = 0;
  let from = 0;
  for (const [t, d] of edges) {
    if (d > 0 && ++count === replicas.length) from = t;
    if (d < 0 && count-- === replicas.length) out.push([from, t]);
  }
  return out;
}

/** `[a, b]` minus the union of `cuts`, as sorted disjoint intervals of positive length. */
export function subtract([a, b]: Interval, cuts: readonly Interval[]): Interval[] {
  let parts: Interval[] = b > a ? [[a, b]] : [];
  for (const [c, d] of cuts) {
    const next: Interval[] = [];
    for (const [x, y] of parts) {
      if (d <= x || c >= y) next.push([x, y]);
      else {
        if (c > x) next.push([x, c]);
        if (d < y) next.push([d, y]);
      }
    }
    parts = next;
  }
  return parts.sort((p, q) => p[0] - q[0]);
}

/** Start time, success and failure by time (timeout, stream-idle, rejections after them) per call. */
interface Rows {
  t: Float64Array;
  ok: Uint8Array;
  timed: Uint8Array;
}

function serverRows(table: CallTable, server: string): Rows {
  const si = table.servers.indexOf(server);
  let n = 0;
  for (let i = 0; i < table.size; i++) if (table.server[i] === si) n++;
  const t = new Float64Array(n);
  const ok = new Uint8Array(n);
  const timed = new Uint8Array(n);
  let k = 0;
  for (let i = 0; i < table.size; i++) {
    if (table.server[i] !== si) continue;
    t[k] = table.startT[i]!;
    timed[k] = failedByTime(table, i) ? 1 : 0;
    ok[k++] = table.ok[i]!;
  }
  return { t, ok, timed };
}
