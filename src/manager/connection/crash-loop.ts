/**
 * Crash loops as a state, not a storm (Kubernetes' CrashLoopBackOff): a stdio child's exits are counted over
 * a sliding window whether or not calls succeed in between, and from `threshold` exits in the window on, the
 * next restart waits exponentially longer, up to a cap. Without it a child that dies right after
 * `initialize` is respawned every 100–200 ms forever (each successful start reset the failure count).
 */
import type { Clock } from '../../core/clock.js';
import { backoffDelay } from './backoff.js';

export interface CrashLoopSettings {
  /** How far back exits count (ms). */
  windowMs: number;
  /** Exits in the window from which the endpoint is crash-looping. */
  threshold: number;
  /** Restart delay at the threshold's first exit, doubling per further exit (ms). */
  baseMs: number;
  /** Longest restart delay (ms). */
  maxMs: number;
}

export const DEFAULT_CRASH_LOOP: Readonly<CrashLoopSettings> = Object.freeze({
  windowMs: 60_000,
  threshold: 3,
  baseMs: 100,
  maxMs: 30_000,
});

export class CrashLoop {
  private readonly exits: number[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly s: CrashLoopSettings = DEFAULT_CRASH_LOOP,
  ) {}

  /** The child exited now. */
  recordExit(): void {
    this.exits.push(this.clock.now());
    this.prune();
  }

  /** Exits within the window. */
  get count(): number {
    this.prune();
    return this.exits.length;
  }

  /** At or past the threshold of exits within the window. */
  get looping(): boolean {
    return this.count >= this.s.threshold;
  }

  /** The wait before the next restart while looping (grows with every exit in the window), else undefined. */
  restartDelay(): number | undefined {
    const n = this.count;
    return n < this.s.threshold ? undefined : backoffDelay(n, { baseMs: this.s.baseMs, maxMs: this.s.maxMs });
  }

  private prune(): void {
    const from = this.clock.now() - this.s.windowMs;
    while (this.exits.length > 0 && (this.exits[0] as number) <= from) this.exits.shift();
  }
}
