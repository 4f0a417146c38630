/**
 * Local starvation is not a remote failure. When this process's event loop stalls (a busy host, a long
 * GC, a CPU-starved container), timers fire late and answers wait unread in socket buffers: every
 * endpoint seems to time out at once. The guard tells such a timeout apart: one that overlapped a stall of
 * this process at least {@link StallGuard.boundMs} long — a share of the timeout, never below a floor —
 * or whose own timer fired that late, is excused: a health probe is run again instead of counted, and a
 * timed-out attempt is not a failure for the breaker or the outlier detector (the caller still gets its
 * timeout). Stalls are measured by a {@link LoopMonitor}; a run of excuses per endpoint is bounded
 * (`maxExcuses`), so a host starved for good still marks a dead replica down.
 */
import type { Clock } from '../../core/clock.js';
import { LoopMonitor } from '../../core/loop-monitor.js';

export interface StallGuardSettings {
  /** A stall shorter than this never excuses a timeout (ms, default 50). */
  floorMs: number;
  /** …nor one shorter than this share of the timeout involved (default 0.2). */
  share: number;
  /**
   * Stalls in a row that may excuse one endpoint's timeouts (every timeout one stall caused is excused)
   * before a timeout counts anyway (default 3).
   */
  maxExcuses: number;
}

export const STALL_GUARD_DEFAULTS: Readonly<StallGuardSettings> = Object.freeze({
  floorMs: 50,
  share: 0.2,
  maxExcuses: 3,
});

/** What a component that judges timeouts asks. */
export interface StallCheck {
  /**
   * `endpoint` timed out (`timeoutMs`) over [fromT, toT], its timer due at `dueT` when known: the local
   * stall in ms that excuses it, or undefined when it counts (no such stall, or `maxExcuses` stalls in
   * a row excused this endpoint's timeouts already).
   */
  excuse(endpoint: string, fromT: number, toT: number, timeoutMs: number, dueT?: number): number | undefined;
  /** `endpoint` had a result that counted: its run of excuses starts again. */
  counted(endpoint: string): void;
}

export class StallGuard implements StallCheck {
  readonly settings: StallGuardSettings;
  private readonly monitor: LoopMonitor;
  /** endpoint → the stalls that excused its timeouts in a row, and the span of the last one. */
  private readonly runs = new Map<string, { stalls: number; fromT: number; toT: number }>();

  constructor(clock: Clock, settings: Partial<StallGuardSettings> = {}, monitor?: LoopMonitor) {
    this.settings = { ...STALL_GUARD_DEFAULTS, ...settings };
    const { floorMs, share, maxExcuses } = this.settings;
    if (!(floorMs >= 0)) throw new RangeError(`stall floorMs must be >= 0, got ${floorMs}`);
    if (!(share >= 0 && share <= 1)) throw new RangeError(`stall share must be in [0, 1], got ${share}`);
    if (!(Number.isInteger(maxExcuses) && maxExcuses >= 0))
      throw new RangeError(`stall maxExcuses must be an integer >= 0, got ${maxExcuses}`);
    this.monitor = monitor ?? new LoopMonitor({ clock });
  }

  /** The shortest stall that excuses a timeout of `timeoutMs`. */
  boundMs(timeoutMs: number): number {
    return Math.max(this.settings.floorMs, this.settings.share * timeoutMs);
  }

  excuse(endpoint: string, fromT: number, toT: number, timeoutMs: number, dueT?: number): number | undefined {
    if (dueT !== undefined) this.monitor.observe(toT, toT - dueT);
    const stall = this.monitor.worst(fromT, toT);
    if (stall === undefined || stall.ms < this.boundMs(timeoutMs)) return undefined;
    const from = stall.endT - stall.ms;
    const run = this.runs.get(endpoint);
    // timeouts that one stall caused (a burst) are one excuse; another stall is the next in the run
    if (run !== undefined && from <= run.toT && stall.endT >= run.fromT) {
      run.fromT = Math.min(run.fromT, from);
      run.toT = Math.max(run.toT, stall.endT);
      return stall.ms;
    }
    const stalls = (run?.stalls ?? 0) + 1;
    if (stalls > this.settings.maxExcuses) {
      this.runs.delete(endpoint);
      return undefined;
    }
    this.runs.set(endpoint, { stalls, fromT: from, toT: stall.endT });
    return stall.ms;
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
