/**
 * History recording throughput: appending ManagerEvent-shaped objects to a `HistoryRecorder`
 * (src/chaos/history.ts), the runner's per-event cost while a scenario runs. Two tasks: absolute times
 * (rebased to the origin: one object spread per event, the runner's path) and already-relative times.
 * The events are a realistic mix for one call (call-start, attempt-start, attempt-end, call-end) plus
 * occasional breaker/health transitions. Each task appends BATCH events per sample; the recorder is
 * emptied every ~1M events so memory stays bounded (the emptying is inside the timing, and rare).
 *
 * Standalone: `npx tsx bench/history-append.bench.ts` prints a table.
 */
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { HistoryRecorder } from '../src/chaos/history.js';
import type { ManagerEvent } from '../src/manager/types.js';

export interface HistoryAppendResult {
  name: string;
  /** Events appended per second = 1e9 / meanNs. */
  opsPerSec: number;
  /** Mean time per appended event, ns. */
  meanNs: number;
}

const BATCH = 1000;
const RESET_AT = 1_000_000;
const ORIGIN = 1_700_000_000_000;

/** A repeating, realistic mix of BATCH manager events with absolute times. */
function sampleEvents(): ManagerEvent[] {
  const events: ManagerEvent[] = [];
  for (let callId = 1; events.length < BATCH; callId++) {
    const t = ORIGIN + callId * 0.25;
    const endpoint = `weather[${callId % 3}]`;
    events.push(
      {
        type: 'call-start',
        t,
        callId,
        server: 'weather',
        tool: 'echo',
        idempotent: true,
        deadline: t + 1000,
      },
      { type: 'attempt-start', t, callId, attempt: 1, endpoint, trial: false, kind: 'first' },
      {
        type: 'attempt-end',
        t: t + 3,
        callId,
        attempt: 1,
        endpoint,
        outcome: 'success',
        latencyMs: 3,
      },
      {
        type: 'call-end',
        t: t + 3,
        callId,
        server: 'weather',
        outcome: 'success',
        latencyMs: 3,
        attempts: 1,
        endpoint,
      },
    );
    if (callId % 50 === 0) {
      events.push({ type: 'breaker', t, endpoint, from: 'closed', to: 'open', reason: 'bench' });
      events.push({ type: 'health', t, endpoint, from: 'healthy', to: 'unhealthy', reason: 'bench' });
    }
  }
  return events.slice(0, BATCH);
}

/** Runs the benchmarks (≈ timeMs per task) and returns one row per task. */
export async function benchHistoryAppend(timeMs = 300): Promise<HistoryAppendResult[]> {
  const events = sampleEvents();
  const relative = events.map((e) => ({ ...e, t: e.t - ORIGIN }));
  const bench = new Bench({ time: timeMs, warmupTime: 100 });
  const absRecorder = new HistoryRecorder(ORIGIN);
  bench.add('history append (absolute t, rebased)', () => {
    if (absRecorder.events.length >= RESET_AT) absRecorder.events.length = 0;
    for (let i = 0; i < BATCH; i++) absRecorder.record(events[i]!);
  });
  const relRecorder = new HistoryRecorder(ORIGIN);
  bench.add('history append (relative t)', () => {
    if (relRecorder.events.length >= RESET_AT) relRecorder.events.length = 0;
    for (let i = 0; i < BATCH; i++) relRecorder.record(relative[i]!, false);
  });
  await bench.run();
  return bench.tasks.map((t) => {
    const r = t.result;
    if (r.state !== 'completed') throw new Error(`benchmark ${t.name} ${r.state}`);
    const meanNs = (r.period * 1e6) / BATCH;
    return { name: t.name, opsPerSec: 1e9 / meanNs, meanNs };
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchHistoryAppend();
  console.table(
    rows.map((r) => ({
      task: r.name,
      'events/s': Math.round(r.opsPerSec).toLocaleString('en-US'),
      'mean ns/event': r.meanNs.toFixed(1),
    })),
  );
}
