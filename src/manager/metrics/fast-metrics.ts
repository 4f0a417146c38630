/**
 * Counters and histograms whose hot path is a plain number increment. prom-client's own label children
 * re-validate and re-hash their labels on every inc/observe; these keep one cell per label set, created
 * once, and build prom-client's exposition values only when the registry is scraped. Register them with
 * `registry.registerMetric(...)` like any prom-client metric.
 */
import type { Metric, Registry } from 'prom-client';

interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

interface MetricSnapshot {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: MetricValue[];
  aggregator: 'sum';
}

/** One counter cell (one label set). */
export interface CounterCell {
  n: number;
}

/** One histogram cell (one label set). `counts[i]` counts samples in (bounds[i-1], bounds[i]]. */
export interface HistogramCell {
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

abstract class FastMetric<Cell> {
  protected readonly cells = new Map<string, { labels: Record<string, string>; cell: Cell }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  /** The cell for these label values (in labelNames order), created on first use. Cache it. */
  cell(...values: string[]): Cell {
    if (values.length !== this.labelNames.length) {
      throw new RangeError(
        `${this.name}: expected ${this.labelNames.length} label values, got ${values.length}`,
      );
    }
    const key = values.join('\u0000');
    let entry = this.cells.get(key);
    if (entry === undefined) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((n, i) => {
        labels[n] = values[i] as string;
      });
      entry = { labels, cell: this.create() };
      this.cells.set(key, entry);
    }
    return entry.cell;
  }

  /** Registers in `registry` (prom-client calls get() at scrape time). */
  register(registry: Registry): this {
    registry.registerMetric(this as unknown as Metric);
    return this;
  }

  protected abstract create(): Cell;
}

export class FastCounter extends FastMetric<CounterCell> {
  readonly type = 'counter' as const;
  protected create(): CounterCell {
    return { n: 0 };
  }
  async get(): Promise<MetricSnapshot> {
    const values: MetricValue[] = [];
    for (const { labels, cell } of this.cells.values()) values.push({ labels, value: cell.n });
    return { name: this.name, help: this.help, type: this.type, values, aggregator: 'sum' };
  }
}

export class FastHistogram extends FastMetric<HistogramCell> {
  readonly type = 'histogram' as const;
  private readonly bounds: Float64Array;

  /** @param buckets upper bounds, ascending (+Inf is implicit). */
  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    super(name, help, labelNames);
    for (let i = 1; i < buckets.length; i++) {
      if (!((buckets[i] as number) > (buckets[i - 1] as number))) {
        throw new RangeError(`${name}: buckets must be strictly ascending, got ${JSON.stringify(buckets)}`);
      }
    }
    this.bounds = Float64Array.from(buckets);
  }

  protected create(): HistogramCell {
    return { counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
  }

  /** Adds one sample to `cell`. */
  observe(cell: HistogramCell, value: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && value > (b[i] as number)) i++;
    (cell.counts as Float64Array)[i] = (cell.counts[i] as number) + 1;
    cell.sum += value;
    cell.count++;
  }

  async get(): Promise<MetricSnapshot> {
    const values: MetricValue[] = [];
    for (const { labels, cell } of this.cells.values()) {
      let acc = 0;
      for (let i = 0; i <= this.bounds.length; i++) {
        acc += cell.counts[i] as number;
        const le = i < this.bounds.length ? (this.bounds[i] as number) : '+Inf';
        values.push({ labels: { le, ...labels }, value: acc, metricName: `${this.name}_bucket` });
      }
      values.push({ labels, value: cell.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: cell.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: 'sum' };
  }
}
