/**
 * Local starvation is not a remote failure. When this process's event loop stalls (a busy host, a long
 * GC, a CPU-starved container), timers fire late and answers wait unread in socket buffers: every
 * endpoint seems to time out at once. The guard tells such a timeout apart: one during which this process
 * lost at least {@link StallGuard.boundMs} to its own stalls — one long stall, or the many short ones of a
 * process starved of CPU, summed over the timeout's span; a share of the timeout, never below a floor —
 * is excused: a health probe is run again instead of counted, and a timed-out attempt is not a failure for
 * the breaker or the outlier detector (the caller still gets its timeout). Stalls are measured by a
 * {@link LoopMonitor} (its ticks, and the lateness of the timeout timers themselves). The excuses of one
 * endpoint are bounded: the timeouts of one burst (their spans overlap the burst's first) are one excuse,
 * and after `maxExcuses` bursts every timeout counts until the endpoint answers again, so a host starved
 * for good still marks a dead replica down, barely later than an idle one would.
 */
import type { Clock } from '../../core/clock.js';
import { LoopMonitor } from '../../core/loop-monitor.js';

export interface StallGuardSettings {
  /** Less time lost to this process's stalls than this never excuses a timeout (ms, default 20). */
  floorMs: number;
  /** …nor less than this share of the timeout involved (default 0.25). */
  share: number;
  /**
   * Bursts of one endpoint's timeouts that may be excused in a row (every timeout of a burst is) before a
   * timeout counts anyway (default 3).
   */
  maxExcuses: number;
}

export const STALL_GUARD_DEFAULTS: Readonly<StallGuardSettings> = Object.freeze({
  floorMs: 20,
  share: 0.25,
  maxExcuses: 3,
});

/** What a component that judges timeouts asks. */
export interface StallCheck {
  /**
   * `endpoint` timed out (`timeoutMs`) over [fromT, toT], its timer due at `dueT` when known: the time
   * lost to local stalls that excuses it (ms), or undefined when it counts (not enough lost, or
   * `maxExcuses` bursts of this endpoint's timeouts were excused in a row already).
   */
  excuse(endpoint: string, fromT: number, toT: number, timeoutMs: number, dueT?: number): number | undefined;
  /** `endpoint` answered (a success, a good probe): its excuses are available again. */
  counted(endpoint: string): void;
}

export class StallGuard implements StallCheck {
  readonly settings: StallGuardSettings;
  private readonly monitor: LoopMonitor;
  /** endpoint → the bursts of its timeouts excused in a row, and when the last burst's first one ended. */
  private readonly runs = new Map<string, { episodes: number; toT: number }>();

  constructor(clock: Clock, settings: Partial<StallGuardSettings> = {}, monitor?: LoopMonitor) {
    this.settings = { ...STALL_GUARD_DEFAULTS, ...settings };
    const { floorMs, share, maxExcuses } = this.settings;
    if (!(floorMs >= 0)) throw new RangeError(`stall floorMs must be >= 0, got ${floorMs}`);
    if (!(share >= 0 && share <= 1)) throw new RangeError(`stall share must be in [0, 1], got ${share}`);
    if (!(Number.isInteger(maxExcuses) && maxExcuses >= 0))
      throw new RangeError(`stall maxExcuses must be an integer >= 0, got ${maxExcuses}`);
    this.monitor = monitor ?? new LoopMonitor({ clock });
  }

  /** The least time lost to local stalls that excuses a timeout of `timeoutMs`. */
  boundMs(timeoutMs: number): number {
    return Math.max(this.settings.floorMs, this.settings.share * timeoutMs);
  }

  excuse(endpoint: string, fromT: number, toT: number, timeoutMs: number, dueT?: number): number | undefined {
    if (dueT !== undefined) this.monitor.observe(toT, toT - dueT);
    const lost = this.monitor.lostWithin(fromT, toT);
    if (!(lost > 0 && lost >= this.boundMs(timeoutMs))) return undefined;
    const run = this.runs.get(endpoint);
    // timeouts of one burst (windows that overlap its first one) are one excuse; a later one is the next
    if (run !== undefined && fromT < run.toT) return lost;
    // excuses used up: every timeout counts until the endpoint answers again (counted)
    const episodes = (run?.episodes ?? 0) + 1;
    if (episodes > this.settings.maxExcuses) return undefined;
    this.runs.set(endpoint, { episodes, toT });
    return lost;
  }

  counted(endpoint: string): void {
    if (this.runs.size > 0) this.runs.delete(endpoint);
  }

  start(): void {
    this.monitor.start();
  }

  close(): void {
    this.monitor.close();
  }
}
