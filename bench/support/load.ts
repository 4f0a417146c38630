/**
 * Load drivers for macro benchmarks.
 * - closed loop: N workers call back-to-back for a duration → capacity (calls/s).
 * - constant rate (wrk2-style): calls are due on a fixed schedule and latency is measured from the
 *   intended start, so a stall is charged to every call it delayed (no coordinated omission).
 */
import { performance } from 'node:perf_hooks';
import { LatencyHistogram } from './histogram.js';

export interface LoadResult {
  calls: number;
  errors: number;
  seconds: number;
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

function result(h: LatencyHistogram, errors: number, seconds: number): LoadResult {
  return {
    calls: h.count,
    errors,
    seconds,
    callsPerSec: h.count / seconds,
    p50Ms: h.percentile(50),
    p99Ms: h.percentile(99),
    p999Ms: h.percentile(99.9),
    maxMs: h.max(),
  };
}

/**
 * Runs `call` from `concurrency` workers back-to-back for `durationMs` (after `warmupMs`, default 300).
 * `histogram`, when given, receives the latencies too (to aggregate several rounds).
 */
export async function closedLoop(
  call: () => Promise<unknown>,
  opts: { concurrency: number; durationMs: number; warmupMs?: number; histogram?: LatencyHistogram },
): Promise<LoadResult> {
  const warmupEnd = performance.now() + (opts.warmupMs ?? 300);
  while (performance.now() < warmupEnd)
    await Promise.all(Array.from({ length: opts.concurrency }, () => call().catch(() => {})));
  const h = new LatencyHistogram();
  let errors = 0;
  const start = performance.now();
  const end = start + opts.durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await call();
      } catch {
        errors++;
      }
      const ms = performance.now() - t0;
      h.record(ms);
      opts.histogram?.record(ms);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return result(h, errors, (performance.now() - start) / 1000);
}

/**
 * Issues calls at `ratePerSec` for `durationMs` with at most `maxOutstanding` in flight; latency from each
 * call's scheduled time (a call that could not be sent on time waits, and that wait is counted).
 */
export async function constantRate(
  call: () => Promise<unknown>,
  opts: { ratePerSec: number; durationMs: number; maxOutstanding?: number },
): Promise<LoadResult> {
  const h = new LatencyHistogram();
  const interval = 1000 / opts.ratePerSec;
  const max = opts.maxOutstanding ?? 256;
  let errors = 0;
  let outstanding = 0;
  let waiter: (() => void) | undefined;
  const start = performance.now();
  const total = Math.floor(opts.durationMs / interval);
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const now = performance.now();
    if (due > now + 1) await new Promise<void>((r) => setTimeout(r, due - now));
    while (outstanding >= max) await new Promise<void>((r) => (waiter = r));
    outstanding++;
    pending.push(
      call()
        .catch(() => {
          errors++;
        })
        .finally(() => {
          h.record(performance.now() - due);
          outstanding--;
          const w = waiter;
          waiter = undefined;
          w?.();
        }),
    );
    if (pending.length > 4096) pending.splice(0, 2048);
  }
  await Promise.all(pending);
  while (outstanding > 0) await new Promise<void>((r) => (waiter = r));
  return result(h, errors, (performance.now() - start) / 1000);
}
