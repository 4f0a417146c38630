/** Small helpers for server-side SVG charts: linear scales, "nice" ticks, bucket resampling. */
import type { TimeBucket } from '../chaos/journal.js';

/** Maps [d0, d1] linearly onto [r0, r1]. A zero-width domain maps everything to r0. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  if (!(span > 0)) return () => r0;
  return (v: number) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Evenly spaced round tick values (steps of 1, 2 or 5 × 10^k) covering [0, max], about `count` of them. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0];
  const raw = max / Math.max(1, count);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if ((ticks[ticks.length - 1] ?? 0) < max) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

/** Formats a tick value briefly: 1500 → 1.5k, 0.25 → 0.25. */
export function formatTick(v: number): string {
  if (v >= 1_000_000) return `${Number((v / 1_000_000).toPrecision(3))}M`;
  if (v >= 1000) return `${Number((v / 1000).toPrecision(3))}k`;
  return String(Number(v.toPrecision(3)));
}

/** The bucket width in ms: the most common gap between bucket starts (fallback `fallbackMs`). */
export function bucketWidthMs(timeline: readonly TimeBucket[], fallbackMs = 1000): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < timeline.length; i++) {
    const gap = (timeline[i]?.t ?? 0) - (timeline[i - 1]?.t ?? 0);
    if (gap > 0) counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  let best = fallbackMs;
  let bestCount = 0;
  for (const [gap, n] of counts) {
    if (n > bestCount) {
      best = gap;
      bestCount = n;
    }
  }
  return best;
}

/**
 * Merges runs of `factor` adjacent buckets so a chart never draws more than a few hundred bars:
 * counts add up, p50 is the call-weighted mean, p99 the maximum.
 */
export function mergeBuckets(timeline: readonly TimeBucket[], factor: number): TimeBucket[] {
  if (factor <= 1) return [...timeline];
  const out: TimeBucket[] = [];
  for (let i = 0; i < timeline.length; i += factor) {
    const group = timeline.slice(i, i + factor);
    const first = group[0];
    if (!first) continue;
    const merged: TimeBucket = { t: first.t, calls: 0, ok: 0, failed: 0, rejected: 0, p50Ms: 0, p99Ms: 0 };
    let weighted = 0;
    for (const b of group) {
      merged.calls += b.calls;
      merged.ok += b.ok;
      merged.failed += b.failed;
      merged.rejected += b.rejected;
      weighted += b.p50Ms * b.calls;
      merged.p99Ms = Math.max(merged.p99Ms, b.p99Ms);
    }
    merged.p50Ms = merged.calls > 0 ? weighted / merged.calls : 0;
    out.push(merged);
  }
  return out;
}
