/**
 * Micro-benchmarks of the manager's per-call hot paths: breaker decision (tryAcquire + success), balancer
 * pick for every kind over 3 and 16 endpoints, retry budget acquire, bulkhead fast path.
 * Each task runs BATCH operations per sample, so timer resolution does not dominate.
 *
 * Standalone: `npx tsx bench/manager-micro.bench.ts` prints a table.
 */
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { systemClock } from '../src/core/clock.js';
import { SeededRng } from '../src/core/rng.js';
import { createBalancer, type EndpointStatus, selectEligible } from '../src/manager/balancers/index.js';
import { CircuitBreaker } from '../src/manager/breaker/index.js';
import { Bulkhead } from '../src/manager/bulkhead/index.js';
import { DEFAULT_SETTINGS } from '../src/manager/defaults.js';
import { RetryBudget } from '../src/manager/retry/index.js';
import type { BalancerKind, BreakerSettings } from '../src/manager/types.js';

export interface MicroResult {
  name: string;
  /** Operations per second (one op = one decision / pick / acquire) = 1e9 / meanNs. */
  opsPerSec: number;
  /** Mean time per operation in ns (total measured time / operations). */
  meanNs: number;
}

const BATCH = 1000;
const KINDS: BalancerKind[] = ['round-robin', 'least-in-flight', 'p2c', 'weighted', 'sticky'];

function endpoints(n: number): EndpointStatus[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `bench[${i}]`,
    inFlight: i % 3,
    ewmaLatencyMs: 5 + (i % 7),
    weight: 1 + (i % 3),
    eligible: true,
    breaker: 'closed' as const,
    breakerAdmits: true,
    health: 'healthy' as const,
    ejected: false,
  }));
}

/** Runs the benchmarks (≈ timeMs per task) and returns one row per task. */
export async function benchManagerMicro(timeMs = 300): Promise<MicroResult[]> {
  const bench = new Bench({ time: timeMs, warmupTime: 100 });
  const clock = systemClock;

  const consecutive = new CircuitBreaker(DEFAULT_SETTINGS.breaker as BreakerSettings, {
    clock,
    endpoint: 'b',
  });
  bench.add('breaker consecutive: tryAcquire+success', () => {
    for (let i = 0; i < BATCH; i++) {
      const p = consecutive.tryAcquire();
      if (p.ok) p.success(3);
    }
  });
  const rateSettings: BreakerSettings = {
    ...(DEFAULT_SETTINGS.breaker as BreakerSettings),
    trip: { policy: 'rate', window: { kind: 'time', sizeMs: 10_000 }, minCalls: 20, failureRate: 0.5 },
  };
  const rate = new CircuitBreaker(rateSettings, { clock, endpoint: 'b' });
  bench.add('breaker rate/time: tryAcquire+success', () => {
    for (let i = 0; i < BATCH; i++) {
      const p = rate.tryAcquire();
      if (p.ok) p.success(3);
    }
  });
  const open = new CircuitBreaker(DEFAULT_SETTINGS.breaker as BreakerSettings, { clock, endpoint: 'b' });
  open.forceOpen();
  bench.add('breaker forced-open: tryAcquire (rejection)', () => {
    for (let i = 0; i < BATCH; i++) open.tryAcquire();
  });

  const keys = Array.from({ length: 64 }, (_, i) => ({ key: `session-${i}` }));
  for (const n of [3, 16]) {
    const eps = endpoints(n);
    for (const kind of KINDS) {
      const b = createBalancer(kind, { rng: new SeededRng(1) });
      bench.add(`pick ${kind} ×${n}`, () => {
        for (let i = 0; i < BATCH; i++) b.pick(eps, keys[i & 63]);
      });
    }
    const lif = createBalancer('least-in-flight', { rng: new SeededRng(1) });
    bench.add(`selectEligible+pick least-in-flight ×${n}`, () => {
      for (let i = 0; i < BATCH; i++) {
        selectEligible(eps);
        lif.pick(eps);
      }
    });
  }

  const budget = new RetryBudget(DEFAULT_SETTINGS.retry.budget, { clock });
  bench.add('retry budget: noteRequest+tryAcquireRetry+release', () => {
    for (let i = 0; i < BATCH; i++) {
      budget.noteRequest();
      budget.tryAcquireRetry()?.release();
    }
  });
  const bulkhead = new Bulkhead({ maxInFlight: 64, queue: 256, acquireTimeoutMs: 500 }, { clock });
  bench.add('bulkhead: tryAcquire+release', () => {
    for (let i = 0; i < BATCH; i++) bulkhead.tryAcquire()?.();
  });

  await bench.run();
  for (const b of [consecutive, rate, open]) b.dispose();
  return bench.tasks.map((t) => {
    const r = t.result;
    if (r.state !== 'completed') throw new Error(`benchmark ${t.name} ${r.state}`);
    // period = total measured time / samples (ms per BATCH ops); ops/s derived from the same mean
    const meanNs = (r.period * 1e6) / BATCH;
    return { name: t.name, opsPerSec: 1e9 / meanNs, meanNs };
  });
}

const direct = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (direct) {
  const rows = await benchManagerMicro();
  console.table(
    rows.map((r) => ({
      task: r.name,
      'ops/s': Math.round(r.opsPerSec).toLocaleString('en-US'),
      'mean ns/op': r.meanNs.toFixed(1),
    })),
  );
}
