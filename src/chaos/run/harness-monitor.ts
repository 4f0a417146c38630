/**
 * The harness watching itself. During a run it samples, per second, how starved this process was: the
 * event loop's delay (`monitorEventLoopDelay`, p99 and max), how late its own timers fired (a 20 ms tick:
 * the longest lateness and the time lost in all), how far behind schedule the load sent its calls, the CPU
 * time this process got against wall time, and how busy the whole machine's CPUs were. The samples become
 * the journal's harness lane; starvation.ts turns them into starved stretches, so a verdict never blames
 * the system under test for the harness's own lag.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Clock, TimerHandle } from '../../core/clock.js';
import { LoopMonitor } from '../../core/loop-monitor.js';
import type { HarnessSample } from '../journal.js';

/** Length of one sample (ms). */
export const HARNESS_SAMPLE_MS = 1000;
/** The lateness tick's period (ms). */
const TICK_MS = 20;
/** Stalls at least this long are kept for the history (`history.stalls`), at most MAX_STALLS of them. */
const KEPT_STALL_MS = 50;
const MAX_STALLS = 100_000;

interface Acc {
  startT: number;
  timerLateMaxMs: number;
  lostMs: number;
  sendLagMaxMs: number;
  cpuMicros: number;
  machine: { idle: number; total: number };
  pressureMicros: number | undefined;
}

function machineTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/**
 * Linux's CPU pressure (PSI): µs in all during which some runnable task waited for a CPU — this process,
 * the servers and relays it started, or anything else on the machine. undefined where there is none.
 */
function cpuStallMicros(): number | undefined {
  try {
    const m = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

export class HarnessMonitor {
  private readonly histogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly loop: LoopMonitor;
  private readonly out: HarnessSample[] = [];
  private readonly stallList: Array<{ endT: number; ms: number }> = [];
  private acc: Acc | undefined;
  private timer: TimerHandle | undefined;

  constructor(private readonly clock: Clock) {
    this.loop = new LoopMonitor({
      clock,
      intervalMs: TICK_MS,
      minStallMs: 10,
      onTick: (t, late) => {
        if (late >= KEPT_STALL_MS && this.stallList.length < MAX_STALLS)
          this.stallList.push({ endT: t, ms: late });
        const a = this.acc;
        if (a === undefined) return;
        if (late > a.timerLateMaxMs) a.timerLateMaxMs = late;
        a.lostMs += late;
      },
    });
  }

  /** Starts sampling. Idempotent. */
  start(): void {
    if (this.acc !== undefined) return;
    this.histogram.enable();
    this.loop.start();
    this.acc = this.fresh();
    this.timer = this.clock.setTimeout(this.sample, HARNESS_SAMPLE_MS);
  }

  /** A load call went out `lagMs` after it was due (hot path: a comparison). */
  readonly noteSendLag = (lagMs: number): void => {
    const a = this.acc;
    if (a !== undefined && lagMs > a.sendLagMaxMs) a.sendLagMaxMs = lagMs;
  };

  /** How late the harness ran over about the last second: its worst timer lateness or send lag (ms). */
  recentLagMs(): number {
    const a = this.acc;
    const last = this.out[this.out.length - 1];
    const now = a ? Math.max(a.timerLateMaxMs, a.sendLagMaxMs) : 0;
    return last && a && this.clock.now() - a.startT < 500
      ? Math.max(now, last.timerLateMaxMs, last.sendLagMaxMs)
      : now;
  }

  /** The longest stall of this process that overlapped [fromT, toT] (absolute clock ms). */
  worstStall(fromT: number, toT: number): number {
    return this.loop.worstStall(fromT, toT);
  }

  /** Stops sampling (the partial last second is kept when it is at least 200 ms long). Idempotent. */
  stop(): void {
    if (this.acc === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.clock.now() - this.acc.startT >= 200) this.flush();
    this.acc = undefined;
    this.loop.close();
    this.histogram.disable();
  }

  /** Every stall of at least 50 ms so far, `endT` made relative to `origin`. */
  stalls(origin: number): Array<{ endT: number; ms: number }> {
    return this.stallList.map((s) => ({ endT: s.endT - origin, ms: s.ms }));
  }

  /** Every sample so far, `t` made relative to `origin` (the start of load). */
  samples(origin: number): HarnessSample[] {
    return this.out.map((s) => ({ ...s, t: Math.round(s.t - origin) }));
  }

  private fresh(): Acc {
    return {
      startT: this.clock.now(),
      timerLateMaxMs: 0,
      lostMs: 0,
      sendLagMaxMs: 0,
      cpuMicros: cpuMicros(),
      machine: machineTimes(),
      pressureMicros: cpuStallMicros(),
    };
  }

  private readonly sample = (): void => {
    this.flush();
    this.acc = this.fresh();
    this.timer = this.clock.setTimeout(this.sample, HARNESS_SAMPLE_MS);
  };

  private flush(): void {
    const a = this.acc as Acc;
    const wallMs = Math.max(1, this.clock.now() - a.startT);
    const m = machineTimes();
    const total = m.total - a.machine.total;
    const h = this.histogram;
    const ns = (x: number) => (Number.isFinite(x) ? x / 1e6 : 0);
    const pressure = cpuStallMicros();
    this.out.push({
      t: a.startT,
      ms: Math.round(wallMs),
      // the histogram counts the 10 ms resolution in every delay: what is beyond it is the delay
      loopP99Ms: round1(Math.max(0, ns(h.percentile(99)) - 10)),
      loopMaxMs: round1(Math.max(0, ns(h.max) - 10)),
      timerLateMaxMs: round1(a.timerLateMaxMs),
      lostMs: Math.round(a.lostMs),
      sendLagMaxMs: round1(a.sendLagMaxMs),
      cpuShare: round2((cpuMicros() - a.cpuMicros) / 1000 / wallMs),
      machineBusy: total > 0 ? round2(1 - (m.idle - a.machine.idle) / total) : 0,
      ...(pressure !== undefined && a.pressureMicros !== undefined
        ? { cpuPressure: round2(Math.min(1, (pressure - a.pressureMicros) / 1000 / wallMs)) }
        : {}),
    });
    h.reset();
  }
}
