import type { HedgeSettings } from '../types.js';
import { LatencyPercentile } from './latency-percentile.js';

/** Held while a hedge attempt runs; release it when that attempt ends (idempotent). */
export interface HedgeToken {
  release(): void;
}

export interface HedgePolicyOptions {
  /** Latency samples kept for the percentile (default 256). */
  capacity?: number;
  /** Samples needed before hedging starts (default 20): until then `delayMs()` is undefined. */
  minSamples?: number;
}

/**
 * When to send a hedge for one server's idempotent calls: after `delayMs()` = max(minDelayMs, p-th
 * percentile of recent successful latencies), and only while fewer than maxInFlight hedges run.
 */
export class HedgePolicy {
  private readonly latencies: LatencyPercentile;
  private readonly minSamples: number;
  private running = 0;

  constructor(
    private readonly settings: HedgeSettings,
    options: HedgePolicyOptions = {},
  ) {
    if (!(settings.percentile > 0 && settings.percentile <= 100)) {
      throw new RangeError(`hedge percentile must be in (0, 100], got ${settings.percentile}`);
    }
    if (!(settings.minDelayMs >= 0))
      throw new RangeError(`hedge minDelayMs must be >= 0, got ${settings.minDelayMs}`);
    if (!Number.isInteger(settings.maxInFlight) || settings.maxInFlight < 0) {
      throw new RangeError(`hedge maxInFlight must be an integer >= 0, got ${settings.maxInFlight}`);
    }
    this.latencies = new LatencyPercentile(options.capacity ?? 256);
    this.minSamples = options.minSamples ?? 20;
  }

  /** Records a completed call's latency (feed successes; failures would skew the percentile). */
  recordLatency(latencyMs: number): void {
    this.latencies.record(latencyMs);
  }

  /** Delay before hedging, or undefined while there are fewer than minSamples samples. */
  delayMs(): number | undefined {
    if (this.latencies.samples < this.minSamples) return undefined;
    const p = this.latencies.percentile(this.settings.percentile) ?? 0;
    return Math.max(this.settings.minDelayMs, p);
  }

  /** A token if another hedge may start now (fewer than maxInFlight running), else undefined. */
  tryAcquire(): HedgeToken | undefined {
    if (this.running >= this.settings.maxInFlight) return undefined;
    this.running++;
    let done = false;
    return {
      release: () => {
        if (done) return;
        done = true;
        this.running--;
      },
    };
  }

  /** Hedges running now. */
  get inFlight(): number {
    return this.running;
  }
}
