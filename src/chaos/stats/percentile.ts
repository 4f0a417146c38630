/**
 * Exact percentiles, nearest-rank method: p(N) of n sorted values is the ⌈N/100 × n⌉-th smallest
 * (p(0) is the smallest, p(100) the largest). The same definition is used by the journal summary, the
 * timeline and the threshold checks, so their numbers agree.
 */

/** 1-based rank of percentile `p` (0..100) among `n` values (n ≥ 1). */
export function percentileRank(p: number, n: number): number {
  return Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
}

/** Percentile `p` of ascending `sorted` values; NaN when empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  return sorted[percentileRank(p, n) - 1]!;
}

/** Ascending copy of the finite values (a Float64Array sorts numerically and fast). */
export function sortedFinite(values: Iterable<number>): Float64Array {
  const out: number[] = [];
  for (const v of values) if (Number.isFinite(v)) out.push(v);
  return Float64Array.from(out).sort();
}

/**
 * A multiset of values drawn from a fixed, known universe (e.g. every latency of a run), with O(log n)
 * insert, remove and k-th smallest — a Fenwick tree over the sorted distinct universe. Used for exact
 * percentiles over sliding windows.
 */
export class RankTree {
  private readonly keys: Float64Array;
  private readonly tree: Int32Array;
  private readonly top: number;
  private count = 0;

  /** @param universe every value that will ever be inserted (any order, duplicates allowed). */
  constructor(universe: ArrayLike<number>) {
    const sorted = Float64Array.from(universe as ArrayLike<number>).sort();
    let m = 0;
    for (let i = 0; i < sorted.length; i++)
      if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[m++] = sorted[i]!;
    this.keys = sorted.subarray(0, m);
    this.tree = new Int32Array(m + 1);
    let top = 1;
    while (top * 2 <= m) top *= 2;
    this.top = top;
  }

  get size(): number {
    return this.count;
  }

  private slot(v: number): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (this.keys[lo] !== v) throw new RangeError(`value ${v} is not in the RankTree universe`);
    return lo + 1;
  }

  add(v: number, delta = 1): void {
    this.count += delta;
    for (let i = this.slot(v); i < this.tree.length; i += i & -i) this.tree[i]! += delta;
  }

  remove(v: number): void {
    this.add(v, -1);
  }

  /** The k-th smallest value held (1-based); NaN when k is out of range. */
  kth(k: number): number {
    if (k < 1 || k > this.count) return Number.NaN;
    let pos = 0;
    let rem = k;
    for (let step = this.top; step > 0; step >>= 1) {
      const next = pos + step;
      if (next < this.tree.length && this.tree[next]! < rem) {
        pos = next;
        rem -= this.tree[next]!;
      }
    }
    return this.keys[pos]!;
  }

  /** Percentile p (nearest rank) of the values held; NaN when empty. */
  percentile(p: number): number {
    return this.count === 0 ? Number.NaN : this.kth(percentileRank(p, this.count));
  }
}
