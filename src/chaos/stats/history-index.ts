/**
 * The shared index of a history, built in ONE pass over its events and cached per history object (while
 * `events.length` is unchanged): the call table, the per-endpoint records, the sparse event kinds
 * (breaker, health, ejection, fault, connection) and the retry attempts with their ends. Every invariant,
 * check and statistic reads this instead of rescanning the events, so checking all of them costs about
 * one pass plus work proportional to what each one inspects.
 */
import type { FaultEvent, History, HistoryEvent } from '../history.js';
import { type CallTable, REJECTION_OUTCOMES } from './call-table.js';
import { type EndpointRecord, initialBreakerState } from './endpoint-index.js';
import { relativeT } from './relative-time.js';
import { serverOf } from './server-of.js';

type Ev<T extends HistoryEvent['type']> = Extract<HistoryEvent, { type: T }>;

export interface HistoryIndex {
  calls: CallTable;
  /** Per endpoint, declared endpoints first, then any only seen in events. */
  endpoints: Map<string, EndpointRecord>;
  breaker: Array<Ev<'breaker'>>;
  health: Array<Ev<'health'>>;
  ejection: Array<Ev<'ejection'>>;
  fault: FaultEvent[];
  connection: Array<Ev<'connection'>>;
  /** attempt-start events of kind `retry`, in order, with their attempt-end time / position (Infinity / -1 if none). */
  retries: Array<Ev<'attempt-start'>>;
  retrySeq: number[];
  retryEndT: number[];
  retryEndSeq: number[];
}

const cache = new WeakMap<History, { length: number; index: HistoryIndex }>();

/** The index of `history` (built on first use, cached while `history.events.length` is unchanged). */
export function historyIndex(history: History): HistoryIndex {
  const hit = cache.get(history);
  if (hit && hit.length === history.events.length) return hit.index;
  const index = buildIndex(history);
  cache.set(history, { length: history.events.length, index });
  return index;
}

/** The call table of `history` (from its shared index). */
export function callTable(history: History): CallTable {
  return historyIndex(history).calls;
}

/** Every endpoint's record, keyed by endpoint id (from the shared index). */
export function endpointIndex(history: History): Map<string, EndpointRecord> {
  return historyIndex(history).endpoints;
}

function newRecord(history: History, endpoint: string): EndpointRecord {
  const server = serverOf(history, endpoint);
  return {
    endpoint,
    server,
    breaker: { initial: initialBreakerState(history, server), t: [], seq: [], to: [], events: [] },
    health: { initial: 'unknown', t: [], seq: [], to: [], events: [] },
    ejections: [],
    attemptT: [],
    attemptSeq: [],
    attempts: [],
    firstAttempts: 0,
    attemptEndT: [],
    attemptEndSeq: [],
    attemptEndOutcome: [],
    attemptEnds: [],
    connections: [],
  };
}

function emptyTable(n: number): CallTable {
  return {
    size: 0,
    servers: [],
    server: new Int32Array(n),
    callId: new Float64Array(n),
    startT: new Float64Array(n),
    startSeq: new Int32Array(n),
    deadlineT: new Float64Array(n),
    endT: new Float64Array(n).fill(Number.NaN),
    endSeq: new Int32Array(n).fill(-1),
    latencyMs: new Float64Array(n).fill(Number.NaN),
    outcome: new Array(n).fill(undefined),
    ok: new Uint8Array(n),
    rejected: new Uint8Array(n),
    orphanEnds: [],
    duplicateEnds: [],
    duplicateStarts: [],
  };
}

function buildIndex(history: History): HistoryIndex {
  const events = history.events;
  let starts = 0;
  for (let i = 0; i < events.length; i++) if (events[i]!.type === 'call-start') starts++;
  const calls = emptyTable(starts);
  const endpoints = new Map<string, EndpointRecord>();
  for (const ep of Object.keys(history.endpoints)) endpoints.set(ep, newRecord(history, ep));
  const index: HistoryIndex = {
    calls,
    endpoints,
    breaker: [],
    health: [],
    ejection: [],
    fault: [],
    connection: [],
    retries: [],
    retrySeq: [],
    retryEndT: [],
    retryEndSeq: [],
  };
  // callId → row: a plain array for small non-negative integer ids (the usual case), a Map otherwise.
  const denseRow: number[] = [];
  const sparseRow = new Map<number, number>();
  const rowOf = (id: number): number | undefined =>
    Number.isInteger(id) && id >= 0 && id < 2 ** 30 ? denseRow[id] : sparseRow.get(id);
  const serverIdx = new Map<string, number>();
  const retryOpen = new Map<number, number>(); // attempt key → index in retries
  let lastEp = '';
  let lastRec: EndpointRecord | undefined;
  const rec = (ep: string): EndpointRecord => {
    if (ep === lastEp && lastRec) return lastRec;
    let r = endpoints.get(ep);
    if (!r) {
      r = newRecord(history, ep);
      endpoints.set(ep, r);
    }
    lastEp = ep;
    lastRec = r;
    return r;
  };
  let row = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    switch (e.type) {
      case 'call-start': {
        const prev = rowOf(e.callId);
        if (prev !== undefined) {
          calls.duplicateStarts.push({ row: prev, event: e });
          break;
        }
        let s = serverIdx.get(e.server);
        if (s === undefined) {
          s = calls.servers.length;
          calls.servers.push(e.server);
          serverIdx.set(e.server, s);
        }
        calls.server[row] = s;
        calls.callId[row] = e.callId;
        calls.startT[row] = e.t;
        calls.startSeq[row] = i;
        calls.deadlineT[row] = relativeT(history, e.deadline);
        if (Number.isInteger(e.callId) && e.callId >= 0 && e.callId < 2 ** 30) denseRow[e.callId] = row;
        else sparseRow.set(e.callId, row);
        row++;
        break;
      }
      case 'call-end': {
        const r = rowOf(e.callId);
        if (r === undefined) {
          calls.orphanEnds.push(e);
        } else if (calls.endSeq[r] !== -1) {
          calls.duplicateEnds.push({ row: r, event: e });
        } else {
          calls.endT[r] = e.t;
          calls.endSeq[r] = i;
          calls.latencyMs[r] = Number.isFinite(e.latencyMs) ? e.latencyMs : e.t - calls.startT[r]!;
          calls.outcome[r] = e.outcome;
          if (e.outcome === 'success') calls.ok[r] = 1;
          else if (REJECTION_OUTCOMES.has(e.outcome)) calls.rejected[r] = 1;
        }
        break;
      }
      case 'attempt-start': {
        const r = rec(e.endpoint);
        r.attemptT.push(e.t);
        r.attemptSeq.push(i);
        r.attempts.push(e);
        if (e.kind === 'first') r.firstAttempts++;
        else if (e.kind === 'retry') {
          retryOpen.set(e.callId * 4096 + e.attempt, index.retries.length);
          index.retries.push(e);
          index.retrySeq.push(i);
          index.retryEndT.push(Number.POSITIVE_INFINITY);
          index.retryEndSeq.push(-1);
        }
        break;
      }
      case 'attempt-end': {
        const r = rec(e.endpoint);
        r.attemptEndT.push(e.t);
        r.attemptEndSeq.push(i);
        r.attemptEndOutcome.push(e.outcome);
        r.attemptEnds.push(e);
        if (e.attempt > 1 && retryOpen.size > 0) {
          const key = e.callId * 4096 + e.attempt;
          const k = retryOpen.get(key);
          if (k !== undefined) {
            index.retryEndT[k] = e.t;
            index.retryEndSeq[k] = i;
            retryOpen.delete(key);
          }
        }
        break;
      }
      case 'breaker': {
        const r = rec(e.endpoint);
        const tr = r.breaker;
        if (tr.t.length === 0) tr.initial = e.from;
        tr.t.push(e.t);
        tr.seq.push(i);
        tr.to.push(e.to);
        tr.events.push(e);
        index.breaker.push(e);
        break;
      }
      case 'health': {
        const r = rec(e.endpoint);
        const tr = r.health;
        if (tr.t.length === 0) tr.initial = e.from;
        tr.t.push(e.t);
        tr.seq.push(i);
        tr.to.push(e.to);
        tr.events.push(e);
        index.health.push(e);
        break;
      }
      case 'ejection': {
        const r = rec(e.endpoint);
        const open = r.ejections[r.ejections.length - 1];
        const isOpen = open !== undefined && open.toT > e.t;
        if (e.ejected) {
          if (isOpen) open.toT = e.t;
          const until = e.untilT === undefined ? Number.POSITIVE_INFINITY : relativeT(history, e.untilT);
          r.ejections.push({ fromT: e.t, toT: Math.max(e.t, until), event: e });
        } else if (isOpen) {
          open.toT = e.t;
        }
        index.ejection.push(e);
        break;
      }
      case 'connection':
        rec(e.endpoint).connections.push(e);
        index.connection.push(e);
        break;
      case 'fault':
        index.fault.push(e);
        break;
      default:
        break;
    }
  }
  calls.size = row;
  return index;
}
