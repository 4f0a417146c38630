/**
 * Sliding a window of fixed width over sorted times, visiting every distinct set of contained rows once.
 * A window [s, s + widthMs) contains row i iff s ≤ times[i] < s + widthMs; as s moves from `fromT` to
 * `toT − widthMs` rows enter and leave, so there are at most 2n distinct windows — O(n) overall, which
 * makes "every sliding window must hold" exact and cheap.
 */

export interface WindowVisitor {
  /** Row i entered the window. */
  add(i: number): void;
  /** Row i left the window. */
  remove(i: number): void;
  /** The current rows form the window starting at `s` (an exact start with this content). */
  visit(s: number): void;
}

/** First index with times[i] ≥ t. */
export function lowerBound(times: ArrayLike<number>, t: number, from = 0): number {
  let lo = from;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Visits every distinct window [s, s + widthMs) with fromT ≤ s ≤ toT − widthMs, over ascending `times`.
 * When the range is shorter than the width, the whole range [fromT, toT) is visited as one window.
 */
export function slideWindows(
  times: ArrayLike<number>,
  fromT: number,
  toT: number,
  widthMs: number,
  v: WindowVisitor,
): void {
  if (!(widthMs > 0)) throw new RangeError(`window width must be > 0 ms, got ${widthMs}`);
  const n = times.length;
  const last = toT - widthMs;
  if (last <= fromT) {
    const hi = lowerBound(times, toT);
    for (let i = lowerBound(times, fromT); i < hi; i++) v.add(i);
    v.visit(fromT);
    return;
  }
  let left = lowerBound(times, fromT);
  let right = lowerBound(times, fromT + widthMs, left);
  for (let i = left; i < right; i++) v.add(i);
  v.visit(fromT);
  const next = () => {
    const leave = left < right ? times[left]! : Number.POSITIVE_INFINITY;
    const enter = right < n && times[right]! < toT ? times[right]! - widthMs : Number.POSITIVE_INFINITY;
    return Math.min(leave, enter);
  };
  let bp = next();
  while (bp < last) {
    while (left < right && times[left]! <= bp) v.remove(left++);
    while (right < n && times[right]! < toT && times[right]! - widthMs <= bp) v.add(right++);
    const nb = next();
    v.visit(Math.min(nb, last));
    bp = nb;
  }
}
