/**
 * Draws per-call latencies from a {@link LatencySpec}: a constant, or a log-normal distribution whose
 * median is p50 and whose 99th percentile is p99 (σ = ln(p99/p50) / z₀.₉₉).
 */
import type { Rng } from '../core/rng.js';
import type { LatencySpec } from './mock-server-spec.js';

/** z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.326347874;

/** Samples are capped at this multiple of p99 so a single draw cannot stall a run (p ≈ 1e-9 at σ≈1). */
const TAIL_CAP = 10;

/** Returns a function drawing one latency in ms (≥ 0) per call; `undefined` latency always yields 0. */
export function createLatencySampler(latency: LatencySpec | undefined, rng: Rng): () => number {
  if (latency === undefined) return () => 0;
  if ('fixedMs' in latency) {
    const fixed = latency.fixedMs;
    return () => fixed;
  }
  const { p50Ms, p99Ms } = latency;
  if (p99Ms <= p50Ms) return () => p50Ms;
  const mu = Math.log(p50Ms);
  const sigma = Math.log(p99Ms / p50Ms) / Z99;
  const cap = p99Ms * TAIL_CAP;
  return () => Math.min(cap, Math.exp(mu + sigma * standardNormal(rng)));
}

/** Box–Muller transform: one standard normal deviate from two uniforms. */
export function standardNormal(rng: Rng): number {
  const u1 = 1 - rng.next(); // (0, 1]: log is finite
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
