/**
 * Crash loops as a state, not a storm (Kubernetes' CrashLoopBackOff): a stdio child that exits (or fails to
 * start) before it has run `stableMs` adds to a streak, whether or not calls succeeded in between; from
 * `threshold` in a row on it is crash-looping, and each restart waits twice as long as the one before, up
 * to a cap. Only a child that stays up for `stableMs` ends the streak (and the loop). Without it a child
 * that dies right after `initialize` was respawned every 100–200 ms forever (each successful start reset the
 * failure count), and one that dies at start about once a second.
 */
import type { Clock } from '../../core/clock.js';
import { backoffDelay } from './backoff.js';

export interface CrashLoopSettings {
  /** A child that runs this long has recovered: the streak ends (ms). */
  stableMs: number;
  /** Quick exits in a row from which the child is crash-looping. */
  threshold: number;
  /** Base of the restart delay: baseMs × 2^(streak − 1) while looping (ms). */
  baseMs: number;
  /** Longest restart delay (ms). */
  maxMs: number;
}

export const DEFAULT_CRASH_LOOP: Readonly<CrashLoopSettings> = Object.freeze({
  stableMs: 60_000,
  threshold: 3,
  baseMs: 100,
  maxMs: 30_000,
});

export class CrashLoop {
  private streak = 0;
  private startedAt: number | undefined;

  constructor(
    private readonly clock: Clock,
    readonly settings: CrashLoopSettings = DEFAULT_CRASH_LOOP,
  ) {}

  /** A child started now. */
  started(): void {
    this.startedAt = this.clock.now();
  }

  /** The child exited, or failed to start, now. */
  recordExit(): void {
    const up = this.startedAt === undefined ? 0 : this.clock.now() - this.startedAt;
    this.startedAt = undefined;
    this.streak = up >= this.settings.stableMs ? 1 : this.streak + 1;
  }

  /** Quick exits in a row. */
  get count(): number {
    return this.streak;
  }

  /** At or past the threshold of quick exits in a row. */
  get looping(): boolean {
    return this.streak >= this.settings.threshold;
  }

  /** The wait before the next restart while looping (doubles with every quick exit), else undefined. */
  restartDelay(): number | undefined {
    return this.looping
      ? backoffDelay(this.streak, { baseMs: this.settings.baseMs, maxMs: this.settings.maxMs })
      : undefined;
  }

  /** When the running child will have been up for `stableMs` (undefined when none runs). */
  stableAt(): number | undefined {
    return this.startedAt === undefined ? undefined : this.startedAt + this.settings.stableMs;
  }

  /** Ends the streak if the running child has been up for `stableMs`; true if that ended a loop. */
  settle(): boolean {
    const at = this.stableAt();
    if (at === undefined || this.clock.now() < at) return false;
    const ended = this.looping;
    this.streak = 0;
    return ended;
  }
}
