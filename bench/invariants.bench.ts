/**
 * Invariant-checking throughput. Builds a synthetic, well-formed history of ~1M events (two servers ×
 * 3 replicas, ~4000 calls/s, a blackhole and a proxy-down fault with the breaker opening, half-open trials
 * failing until the fault ends, health going unhealthy and back, retries on another replica), then times
 * ALL registered invariants (default params) plus the journal statistics (summary, timeline, lanes) on a
 * fresh copy of the history each round, so the shared per-history indexes are rebuilt inside the timing.
 *
 * Target: ≥ 1M events/s. Standalone: `npx tsx bench/invariants.bench.ts [events]`.
 */
import { pathToFileURL } from 'node:url';
import type { ExecutionRecord, History, HistoryEvent } from '../src/chaos/history.js';
import { checkInvariant, invariantNames, resolveInvariantParams } from '../src/chaos/invariants/index.js';
import { lanes, summarize, timeline } from '../src/chaos/stats/index.js';
import { SeededRng } from '../src/core/rng.js';
import { DEFAULT_SETTINGS } from '../src/manager/defaults.js';
import type { BreakerState, HealthState, ResilienceSettings } from '../src/manager/types.js';
import { CALL_META_KEY } from '../src/mock/index.js';

export interface InvariantBenchResult {
  events: number;
  /** Median wall time of one full analysis (all invariants + summary + timeline + lanes), seconds. */
  seconds: number;
  eventsPerSec: number;
  /** Median ms per invariant (and `summary+timeline+lanes`) in the median round. */
  breakdownMs: Record<string, number>;
  /** Invariants that did not hold on the synthetic history (expected: none). */
  failed: string[];
}

const SERVERS = ['a', 'b'] as const;
const REPLICAS = 3;
const CALLS_PER_MS = 4;

interface Transition<S> {
  t: number;
  to: S;
}

/** A synthetic, well-formed history of about `targetEvents` events. */
export function syntheticHistory(targetEvents = 1_000_000, seed = 1): History {
  const rng = new SeededRng(seed);
  // at least 12 s: the faults, detection and recovery bounds of the default settings must fit (else the
  // recovery invariants could judge nothing and fail as vacuous)
  const durationMs = Math.max(12_000, Math.round(targetEvents / 4.1 / CALLS_PER_MS));
  const endpoints: Record<string, string> = {};
  const settings: Record<string, ResilienceSettings> = {};
  for (const s of SERVERS) {
    settings[s] = structuredClone(DEFAULT_SETTINGS) as ResilienceSettings;
    for (let i = 0; i < REPLICAS; i++) endpoints[`${s}[${i}]`] = s;
  }
  const faults = [
    {
      name: 'blackhole',
      ep: 'a[0]',
      startT: Math.round(durationMs * 0.2),
      endT: Math.round(durationMs * 0.4),
      kind: 'toxic' as const,
      detail: 'timeout',
      fail: 'timeout' as const,
      failMs: 200,
    },
    {
      name: 'down',
      ep: 'b[1]',
      startT: Math.round(durationMs * 0.55),
      endT: Math.round(durationMs * 0.75),
      kind: 'down' as const,
      detail: 'down',
      fail: 'connection' as const,
      failMs: 1,
    },
  ];
  const events: HistoryEvent[] = [{ type: 'phase', t: 0, phase: 'load' }];
  const breaker = new Map<string, Transition<BreakerState>[]>();
  const health = new Map<string, Transition<HealthState>[]>();
  let callId = 0;
  const trial = (t: number, ep: string, ok: boolean, failMs: number) => {
    const id = ++callId;
    const server = endpoints[ep]!;
    const lat = ok ? 3 : failMs;
    events.push(
      { type: 'call-start', t, callId: id, server, tool: 'echo', idempotent: true, deadline: t + 1000 },
      { type: 'attempt-start', t, callId: id, attempt: 1, endpoint: ep, trial: true, kind: 'first' },
      {
        type: 'attempt-end',
        t: t + lat,
        callId: id,
        attempt: 1,
        endpoint: ep,
        outcome: ok ? 'success' : 'timeout',
        latencyMs: lat,
      },
      {
        type: 'call-end',
        t: t + lat,
        callId: id,
        server,
        outcome: ok ? 'success' : 'timeout',
        latencyMs: lat,
        attempts: 1,
        endpoint: ep,
      },
    );
    return t + lat;
  };
  for (const ep of Object.keys(endpoints)) {
    health.set(ep, [{ t: 1, to: 'healthy' }]);
    breaker.set(ep, []);
  }
  for (const f of faults) {
    events.push({
      type: 'fault',
      t: f.startT,
      fault: f.name,
      endpoint: f.ep,
      action: 'inject',
      kind: f.kind,
      detail: f.detail,
    });
    events.push({
      type: 'fault',
      t: f.endT,
      fault: f.name,
      endpoint: f.ep,
      action: 'rollback',
      kind: f.kind,
      detail: f.detail,
    });
    // Breaker opens 300 ms in; half-open after openFor (2 s); the balancer skips the endpoint while it is
    // unhealthy, so the half-open trial comes once health is back, succeeds and closes the breaker.
    const healthyT = f.endT + 1200;
    const b = breaker.get(f.ep)!;
    b.push({ t: f.startT + 300, to: 'open' });
    const half = f.startT + 2300;
    if (half < durationMs) {
      b.push({ t: half, to: 'half-open' });
      const trialT = Math.max(half, healthyT) + 1;
      if (trialT < durationMs - 10) b.push({ t: trial(trialT, f.ep, true, f.failMs), to: 'closed' });
    }
    health.get(f.ep)!.push({ t: f.startT + 1100, to: 'unhealthy' }, { t: healthyT, to: 'healthy' });
  }
  for (const [ep, list] of breaker) {
    let from: BreakerState = 'closed';
    for (const x of list) {
      events.push({ type: 'breaker', t: x.t, endpoint: ep, from, to: x.to, reason: 'bench' });
      from = x.to;
    }
  }
  for (const [ep, list] of health) {
    let from: HealthState = 'unknown';
    for (const x of list) {
      events.push({ type: 'health', t: x.t, endpoint: ep, from, to: x.to, reason: 'bench' });
      from = x.to;
    }
  }
  const stateAt = <S>(list: Transition<S>[], t: number, initial: S): S => {
    let s = initial;
    for (const x of list) if (x.t <= t) s = x.to;
    return s;
  };
  const usable = (ep: string, t: number) =>
    stateAt(breaker.get(ep)!, t, 'closed' as BreakerState) === 'closed' &&
    stateAt(health.get(ep)!, t, 'unknown' as HealthState) === 'healthy';
  const faultOf = (ep: string, t: number) => faults.find((f) => f.ep === ep && t >= f.startT && t < f.endT);
  const rr: Record<string, number> = { a: 0, b: 0 };
  const calls = durationMs * CALLS_PER_MS;
  // Endpoint usability changes rarely: cache it per 1 ms.
  let cacheT = -1;
  let cache = new Map<string, boolean>();
  for (let i = 0; i < calls; i++) {
    const t = 2 + (i / CALLS_PER_MS) * ((durationMs - 10) / durationMs);
    const ms = Math.floor(t);
    if (ms !== cacheT) {
      cacheT = ms;
      cache = new Map(Object.keys(endpoints).map((ep) => [ep, usable(ep, ms)]));
    }
    const server = SERVERS[i % 2]!;
    const candidates = Object.keys(endpoints).filter((ep) => endpoints[ep] === server && cache.get(ep));
    const first = candidates[rr[server]!++ % candidates.length]!;
    const id = ++callId;
    const fault = faultOf(first, t);
    events.push({
      type: 'call-start',
      t,
      callId: id,
      server,
      tool: 'echo',
      // one call in ten may not be repeated (never one sent into a fault: it would not be retried)
      idempotent: fault !== undefined || id % 10 !== 0,
      deadline: t + 1000,
    });
    events.push({
      type: 'attempt-start',
      t,
      callId: id,
      attempt: 1,
      endpoint: first,
      trial: false,
      kind: 'first',
    });
    const lat1 = fault ? fault.failMs : 1 + rng.next() * 9;
    events.push({
      type: 'attempt-end',
      t: t + lat1,
      callId: id,
      attempt: 1,
      endpoint: first,
      outcome: fault ? fault.fail : 'success',
      latencyMs: lat1,
    });
    let end = t + lat1;
    let attempts = 1;
    if (fault) {
      const second = candidates.find((ep) => ep !== first) ?? first;
      const lat2 = 1 + rng.next() * 9;
      events.push({
        type: 'attempt-start',
        t: end,
        callId: id,
        attempt: 2,
        endpoint: second,
        trial: false,
        kind: 'retry',
      });
      events.push({
        type: 'attempt-end',
        t: end + lat2,
        callId: id,
        attempt: 2,
        endpoint: second,
        outcome: 'success',
        latencyMs: lat2,
      });
      end += lat2;
      attempts = 2;
    }
    events.push({
      type: 'call-end',
      t: end,
      callId: id,
      server,
      outcome: 'success',
      latencyMs: end - t,
      attempts,
      endpoint: first,
    });
  }
  events.push({ type: 'phase', t: durationMs, phase: 'load-end' });
  events.sort((x, y) => x.t - y.t);
  // The load's logical call ids, and the mocks' execution logs: a successful attempt ran once.
  const executions: ExecutionRecord[] = [];
  const toolOf = new Map<number, string>();
  for (const e of events) {
    if (e.type === 'call-start') {
      e.meta = { [CALL_META_KEY]: String(e.callId) };
      toolOf.set(e.callId, e.tool);
    } else if (e.type === 'attempt-end' && e.outcome === 'success') {
      const tool = toolOf.get(e.callId) ?? 'echo';
      executions.push({ endpoint: e.endpoint, tool, call: String(e.callId), t: e.t });
    }
  }
  return {
    origin: 0,
    durationMs,
    endpoints,
    settings,
    faults: faults.map((f) => ({
      name: f.name,
      endpoints: [f.ep],
      startT: f.startT,
      endT: f.endT,
      kind: f.kind,
      detail: f.detail,
    })),
    events,
    executions,
  };
}

/**
 * The invariants checked here: every one that runs with no params (the deploy invariants need a deploy
 * fault's name, and the synthetic history has no deploy).
 */
export const BENCHED_INVARIANTS: readonly string[] = invariantNames.filter((name) => {
  try {
    resolveInvariantParams(name, {});
    return true;
  } catch {
    return false;
  }
});

/**
 * Params of the benched invariants beyond the defaults: the synthetic faults (blackhole, down) stop requests
 * before a replica, so traffic-leaves-within has nothing to judge there.
 */
export const BENCH_PARAMS: Readonly<Record<string, Record<string, unknown>>> = {
  'traffic-leaves-within': { allowVacuous: true },
};

function analyse(history: History, times: Record<string, number>): string[] {
  const failed: string[] = [];
  for (const name of BENCHED_INVARIANTS) {
    const t0 = performance.now();
    const r = checkInvariant(name, BENCH_PARAMS[name] ?? {}, history);
    times[name] = performance.now() - t0;
    if (!r.held) failed.push(`${name}: ${r.violationCount} (${r.violations[0]?.message ?? ''})`);
  }
  const t0 = performance.now();
  summarize(history);
  timeline(history);
  lanes(history);
  times['summary+timeline+lanes'] = performance.now() - t0;
  return failed;
}

/** Times the full analysis of a ~`events`-event synthetic history; median of `rounds` after a warm-up. */
export async function benchInvariants(events = 1_000_000, rounds = 3): Promise<InvariantBenchResult> {
  const history = syntheticHistory(events);
  analyse({ ...history }, {}); // warm-up (JIT); a fresh object so caches do not carry over
  const runs: Array<{ seconds: number; times: Record<string, number>; failed: string[] }> = [];
  for (let r = 0; r < rounds; r++) {
    const copy = { ...history }; // new identity → per-history indexes are rebuilt inside the timing
    const times: Record<string, number> = {};
    const t0 = performance.now();
    const failed = analyse(copy, times);
    runs.push({ seconds: (performance.now() - t0) / 1000, times, failed });
  }
  runs.sort((x, y) => x.seconds - y.seconds);
  const median = runs[Math.floor(runs.length / 2)]!;
  const breakdownMs: Record<string, number> = {};
  for (const [k, v] of Object.entries(median.times)) breakdownMs[k] = Math.round(v * 10) / 10;
  return {
    events: history.events.length,
    seconds: median.seconds,
    eventsPerSec: history.events.length / median.seconds,
    breakdownMs,
    failed: median.failed,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const r = await benchInvariants(n);
  console.log(
    `invariants: ${r.events} events in ${r.seconds.toFixed(3)} s → ${Math.round(r.eventsPerSec).toLocaleString('en')} events/s`,
  );
  console.table(r.breakdownMs);
  if (r.failed.length) console.log('did not hold on the synthetic history:', r.failed);
}
