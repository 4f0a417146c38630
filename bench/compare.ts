/**
 * Regression check between two bench reports (`reports/bench.json` vs a committed baseline). Pure: no I/O.
 *
 * Every figure of a report is `{key, value, unit, better}`. A figure regresses when it moved the wrong way by
 * more than `tolerance` (relative) and, if the figure gives one, by more than its `absTolerance` (absolute,
 * in its own unit — so a p50 moving from 0.20 ms to 0.30 ms is not flagged as a 50 % regression).
 * `better: 'info'` figures (counts, sizes) are listed but never judged.
 */

/** Which direction is good for a figure. */
export type Better = 'higher' | 'lower' | 'info';

/** One measured number. */
export interface BenchFigure {
  /** Stable identifier, e.g. `macro.http.manager.callsPerSec`. */
  key: string;
  value: number;
  /** Unit for display, e.g. `calls/s`, `ms`, `ops/s`, `MB/s`, `×`. */
  unit: string;
  better: Better;
  /** A change smaller than this (absolute, in `unit`) is never a regression. Default 0. */
  absTolerance?: number;
}

/** The part of a bench report that comparison needs. */
export interface ComparableReport {
  figures: readonly BenchFigure[];
}

export type CompareStatus =
  | 'ok' // within tolerance
  | 'regression' // worse than baseline by more than the tolerance
  | 'improved' // better than baseline by more than the tolerance
  | 'missing' // in the baseline, not in the current run (e.g. `--only`, or a sub-bench errored)
  | 'new' // in the current run, not in the baseline
  | 'info'; // not judged (better: 'info'), or a non-finite / zero baseline

export interface CompareRow {
  key: string;
  unit: string;
  better: Better;
  baseline?: number;
  current?: number;
  /** current ÷ baseline − 1 (e.g. −0.3 = 30 % lower); undefined when either side is missing or baseline is 0. */
  change?: number;
  status: CompareStatus;
}

/**
 * Compares every figure of `current` with the same key in `baseline`. Rows follow the baseline's order,
 * then figures new in `current`.
 * @param tolerance relative change allowed, in [0, 10) (0.25 = 25 %).
 * @throws RangeError quoting a bad tolerance.
 */
export function compareBench(
  current: ComparableReport,
  baseline: ComparableReport,
  tolerance = 0.25,
): CompareRow[] {
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0 || tolerance >= 10) {
    throw new RangeError(`tolerance must be a number in [0, 10), got ${JSON.stringify(tolerance)}`);
  }
  const now = new Map<string, BenchFigure>();
  for (const f of current.figures) if (!now.has(f.key)) now.set(f.key, f);
  const rows: CompareRow[] = [];
  const seen = new Set<string>();
  for (const b of baseline.figures) {
    if (seen.has(b.key)) continue;
    seen.add(b.key);
    const c = now.get(b.key);
    if (c === undefined) {
      rows.push({ key: b.key, unit: b.unit, better: b.better, baseline: b.value, status: 'missing' });
      continue;
    }
    rows.push(judge(c, b.value, tolerance));
  }
  for (const c of current.figures) {
    if (seen.has(c.key)) continue;
    seen.add(c.key);
    rows.push({ key: c.key, unit: c.unit, better: c.better, current: c.value, status: 'new' });
  }
  return rows;
}

function judge(c: BenchFigure, base: number, tolerance: number): CompareRow {
  const row: Omit<CompareRow, 'status'> = {
    key: c.key,
    unit: c.unit,
    better: c.better,
    baseline: base,
    current: c.value,
  };
  if (!Number.isFinite(base) || !Number.isFinite(c.value) || base === 0) {
    return { ...row, status: 'info' };
  }
  const change = c.value / base - 1;
  row.change = change;
  if (c.better === 'info') return { ...row, status: 'info' };
  const bigEnough = Math.abs(c.value - base) > (c.absTolerance ?? 0);
  // Positive `worse` = moved the wrong way, relative to the baseline.
  const worse = c.better === 'higher' ? -change : change;
  if (bigEnough && worse > tolerance) return { ...row, status: 'regression' };
  if (bigEnough && -worse > tolerance) return { ...row, status: 'improved' };
  return { ...row, status: 'ok' };
}

/** The rows that regressed. */
export function regressions(rows: readonly CompareRow[]): CompareRow[] {
  return rows.filter((r) => r.status === 'regression');
}
