/**
 * Watches this process's event loop for stalls. A timer every `intervalMs` measures how late it fired: a
 * tick late by L ms means the loop was blocked, or the process was not given a CPU, for about L ms just
 * before it. Stalls of at least `minStallMs` are kept for `keepMs`, so a component that saw a timeout can
 * ask whether it overlapped one of this process's own stalls — local starvation, not the remote side's
 * fault. Other timers report their own lateness through {@link LoopMonitor.observe} (a timeout timer that
 * fired long after it was due is the same evidence).
 *
 * Cheap: one timer (unref'd: it never keeps a process alive) and a short list of stalls, which at idle
 * stays empty.
 */
import type { Clock, TimerHandle } from './clock.js';

/** The loop was blocked for `ms` up to `endT` (clock ms). */
export interface LoopStall {
  endT: number;
  ms: number;
}

export interface LoopMonitorOptions {
  clock: Clock;
  /** Tick period (ms, default 25): the finest stall it resolves. */
  intervalMs?: number;
  /** Lateness below this is noise and not kept (ms, default 10). */
  minStallMs?: number;
  /** How long stalls are remembered (ms, default 60 000). */
  keepMs?: number;
  /** Every tick: its time and how late it fired (ms, ≥ 0). */
  onTick?: (t: number, lateMs: number) => void;
}

/** At most this many stalls are kept, whatever `keepMs` (the oldest go first). */
const MAX_STALLS = 4096;

export class LoopMonitor {
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly minStallMs: number;
  private readonly keepMs: number;
  private readonly onTick: ((t: number, lateMs: number) => void) | undefined;
  private readonly stalls: LoopStall[] = [];
  private timer: TimerHandle | undefined;
  private expectedT = 0;

  constructor(o: LoopMonitorOptions) {
    this.clock = o.clock;
    this.intervalMs = o.intervalMs ?? 25;
    this.minStallMs = o.minStallMs ?? 10;
    this.keepMs = o.keepMs ?? 60_000;
    this.onTick = o.onTick;
    if (!(this.intervalMs > 0)) throw new RangeError(`intervalMs must be > 0, got ${o.intervalMs}`);
    if (!(this.minStallMs >= 0)) throw new RangeError(`minStallMs must be >= 0, got ${o.minStallMs}`);
    if (!(this.keepMs > 0)) throw new RangeError(`keepMs must be > 0, got ${o.keepMs}`);
  }

  /** Whether the ticking timer runs. */
  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Starts ticking. Idempotent. */
  start(): void {
    if (this.timer !== undefined) return;
    this.arm();
  }

  /** Stops ticking (what was observed stays queryable). Idempotent. */
  close(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A timer of the caller's fired `lateMs` after it was due, at `t`: kept like a tick's lateness. */
  observe(t: number, lateMs: number): void {
    if (!(lateMs >= this.minStallMs)) return;
    const stalls = this.stalls;
    const horizon = t - this.keepMs;
    while (stalls.length > 0 && ((stalls[0] as LoopStall).endT < horizon || stalls.length >= MAX_STALLS))
      stalls.shift();
    stalls.push({ endT: t, ms: lateMs });
  }

  /**
   * The longest stall that overlapped [fromT, toT] (undefined when none did) — including one still going
   * on: a tick overdue now (other timers of the same loop turn ran before it) is a stall up to now.
   */
  worst(fromT: number, toT: number): LoopStall | undefined {
    let worst: LoopStall | undefined;
    if (this.timer !== undefined) {
      const now = this.clock.now();
      const overdue = now - this.expectedT;
      if (overdue >= this.minStallMs && this.expectedT <= toT && now >= fromT)
        worst = { endT: now, ms: overdue };
    }
    const stalls = this.stalls;
    for (let i = stalls.length - 1; i >= 0; i--) {
      const s = stalls[i] as LoopStall;
      if (s.endT < fromT) break; // ends are in time order: earlier ones end earlier still
      if (s.endT - s.ms <= toT && (worst === undefined || s.ms > worst.ms)) worst = s;
    }
    return worst;
  }

  /** The longest stall's length that overlapped [fromT, toT] (0 when none did). */
  worstStall(fromT: number, toT: number): number {
    return this.worst(fromT, toT)?.ms ?? 0;
  }

  /**
   * How much of [fromT, toT] the loop spent blocked (ms): the stalls' overlap with it, summed — one long
   * stall, or the many short ones of a process starved of CPU — including one still going on.
   */
  lostWithin(fromT: number, toT: number): number {
    // the stalls' spans clipped to the window; a timer's own lateness may overlap a tick's: count the union
    const spans: Array<[number, number]> = [];
    const add = (endT: number, ms: number) => {
      const a = Math.max(endT - ms, fromT);
      const b = Math.min(endT, toT);
      if (b > a) spans.push([a, b]);
    };
    if (this.timer !== undefined) {
      const now = this.clock.now();
      const overdue = now - this.expectedT;
      if (overdue >= this.minStallMs) add(now, overdue);
    }
    const stalls = this.stalls;
    for (let i = stalls.length - 1; i >= 0; i--) {
      const s = stalls[i] as LoopStall;
      if (s.endT < fromT) break;
      add(s.endT, s.ms);
    }
    spans.sort((x, y) => x[0] - y[0]);
    let lost = 0;
    let reached = Number.NEGATIVE_INFINITY;
    for (const [a, b] of spans) {
      if (b <= reached) continue;
      lost += b - Math.max(a, reached);
      reached = b;
    }
    return lost;
  }

  private arm(): void {
    this.expectedT = this.clock.now() + this.intervalMs;
    const handle = this.clock.setTimeout(this.tick, this.intervalMs);
    (handle as { unref?: () => void }).unref?.();
    this.timer = handle;
  }

  private readonly tick = (): void => {
    const t = this.clock.now();
    const late = Math.max(0, t - this.expectedT);
    this.observe(t, late);
    this.onTick?.(t, late);
    this.arm();
  };
}
