/**
 * The journal's time series: calls bucketed by start time. In each bucket `calls = ok + failed +
 * rejected` (rejected = refused without reaching a server; failed includes unfinished calls); p50/p99 are
 * exact over the bucket's finished calls (0 when none).
 */
import type { History } from '../history.js';
import type { TimeBucket } from '../journal.js';
import { callTable } from './history-index.js';
import { percentileSorted } from './percentile.js';

/** Default upper bound on the number of buckets. */
export const MAX_BUCKETS = 600;

const NICE_STEPS = [
  1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000,
];

/** The smallest "nice" bucket size (ms) that covers `spanMs` in at most `maxBuckets` buckets. */
export function chooseBucketMs(spanMs: number, maxBuckets = MAX_BUCKETS): number {
  if (!(maxBuckets >= 1)) throw new RangeError(`maxBuckets must be ≥ 1, got ${maxBuckets}`);
  const min = Math.max(1, spanMs / maxBuckets);
  for (const s of NICE_STEPS) if (s >= min) return s;
  return Math.ceil(min / 60_000) * 60_000;
}

/**
 * Buckets from min(0, first call start) to max(durationMs, last call start).
 * @param bucketMs bucket width in ms; default (and lower bound) the nice size giving ≤ 600 buckets.
 */
export function timeline(history: History, bucketMs?: number): TimeBucket[] {
  const table = callTable(history);
  const first = table.size > 0 ? Math.min(0, table.startT[0]!) : 0;
  const last =
    table.size > 0 ? Math.max(history.durationMs, table.startT[table.size - 1]!) : history.durationMs;
  const minBucket = chooseBucketMs(last - first);
  if (bucketMs !== undefined && !(bucketMs > 0))
    throw new RangeError(`bucketMs must be > 0, got ${bucketMs}`);
  const size = Math.max(bucketMs ?? minBucket, minBucket);
  const origin = Math.floor(first / size) * size;
  const count = Math.max(1, Math.floor((last - origin) / size) + 1);
  const buckets: TimeBucket[] = [];
  let i = 0;
  for (let b = 0; b < count; b++) {
    const start = origin + b * size;
    const end = start + size;
    let ok = 0;
    let failed = 0;
    let rejected = 0;
    const lat: number[] = [];
    const from = i;
    while (i < table.size && table.startT[i]! < end) {
      if (table.ok[i] === 1) ok++;
      else if (table.rejected[i] === 1) rejected++;
      else failed++;
      const l = table.latencyMs[i]!;
      if (Number.isFinite(l)) lat.push(l);
      i++;
    }
    const sorted = Float64Array.from(lat).sort();
    buckets.push({
      t: start,
      calls: i - from,
      ok,
      failed,
      rejected,
      p50Ms: sorted.length ? percentileSorted(sorted, 50) : 0,
      p99Ms: sorted.length ? percentileSorted(sorted, 99) : 0,
    });
  }
  return buckets;
}
