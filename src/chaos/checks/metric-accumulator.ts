/**
 * One check metric over a changing set of calls (rows of a call table), updated incrementally as calls
 * enter and leave a window. Latency metrics use a RankTree for exact percentiles and max.
 */
import { RankTree } from '../stats/index.js';
import type { CheckMetric } from './parse-check.js';

export interface CallRows {
  /** Start time per call, ascending. */
  startT: Float64Array;
  /** 1 when the call's final outcome is success. */
  ok: Uint8Array;
  /** Latency per call, NaN while unfinished. */
  latencyMs: Float64Array;
}

export class MetricAccumulator {
  private total = 0;
  private okCount = 0;
  private finished = 0;
  private sum = 0;
  private readonly tree: RankTree | undefined;

  constructor(
    private readonly metric: CheckMetric,
    private readonly percentile: number | undefined,
    private readonly rows: CallRows,
  ) {
    if (metric === 'p' || metric === 'max') {
      const universe: number[] = [];
      for (const l of rows.latencyMs) if (Number.isFinite(l)) universe.push(l);
      this.tree = new RankTree(universe);
    }
  }

  add(i: number): void {
    this.total++;
    this.okCount += this.rows.ok[i]!;
    const l = this.rows.latencyMs[i]!;
    if (Number.isFinite(l)) {
      this.finished++;
      this.sum += l;
      this.tree?.add(l);
    }
  }

  remove(i: number): void {
    this.total--;
    this.okCount -= this.rows.ok[i]!;
    const l = this.rows.latencyMs[i]!;
    if (Number.isFinite(l)) {
      this.finished--;
      this.sum -= l;
      this.tree?.remove(l);
    }
  }

  /** The metric's value; undefined when the window has nothing to measure (vacuous). */
  value(): number | undefined {
    switch (this.metric) {
      case 'calls':
        return this.total;
      case 'availability':
        return this.total === 0 ? undefined : this.okCount / this.total;
      case 'error_rate':
        return this.total === 0 ? undefined : (this.total - this.okCount) / this.total;
      case 'avg':
        return this.finished === 0 ? undefined : this.sum / this.finished;
      case 'max':
        return this.finished === 0 ? undefined : this.tree!.kth(this.finished);
      case 'p':
        return this.finished === 0 ? undefined : this.tree!.percentile(this.percentile ?? 50);
    }
  }

  /** What the value was computed from, e.g. `(4990/5000)` or `(of 4980 finished calls)`. */
  detail(): string {
    switch (this.metric) {
      case 'calls':
        return '';
      case 'availability':
        return `(${this.okCount}/${this.total})`;
      case 'error_rate':
        return `(${this.total - this.okCount}/${this.total})`;
      default:
        return `(of ${this.finished} finished calls)`;
    }
  }
}
