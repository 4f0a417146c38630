import type { Clock, TimerHandle } from '../../core/clock.js';
import { ChaosError, errorMessage } from '../../core/errors.js';
import { Emitter, type Event } from '../../core/events.js';
import type { Rng } from '../../core/rng.js';
import type { StallCheck } from '../stall/index.js';
import type { HealthSettings, HealthState } from '../types.js';
import { HealthStateMachine } from './health-state-machine.js';
import type { HealthTransition } from './health-transition.js';

/**
 * One active check: resolve = healthy, reject = unhealthy. It must stop when `signal` aborts; the
 * checker aborts it after `timeoutMs` (already counted as a failure by then).
 */
export type HealthProbe = (signal: AbortSignal, timeoutMs: number) => Promise<void>;

export interface HealthCheckerDeps {
  clock: Clock;
  /** Draws the jitter. */
  rng: Rng;
  endpoint: string;
  probe: HealthProbe;
  /** Excuses a probe timeout that this process's own stall caused (run again instead of counted). */
  stall?: StallCheck;
  /** Whether a probe's error is a timeout (default: none is; only the checker's own timer counts). */
  isTimeout?: (e: unknown) => boolean;
}

/** A probe timed out during a stall of this process: not counted, run again at once. */
export interface ProbeExcused {
  endpoint: string;
  t: number;
  /** The local stall that excused it (ms). */
  stallMs: number;
  timeoutMs: number;
}

/** Emitted after every probe. */
export interface ProbeResult {
  endpoint: string;
  ok: boolean;
  /** Start to result (the timeout for timed-out probes). */
  latencyMs: number;
  /** clock.now() at the result. */
  t: number;
  error?: string;
}

/**
 * Worst-case time from the start of a fault to the endpoint being marked unhealthy:
 * unhealthyAfter × max(intervalMs + jitterMs, timeoutMs) + timeoutMs. With the usual timeoutMs ≤ intervalMs
 * this is Envoy's bound unhealthyAfter × (interval + jitter) + timeout. (unhealthyIntervalMs only applies
 * once unhealthy, so it does not shorten detection.)
 */
export function healthDetectionBoundMs(s: HealthSettings): number {
  return s.unhealthyAfter * Math.max(s.intervalMs + s.jitterMs, s.timeoutMs) + s.timeoutMs;
}

/**
 * Worst-case time from the end of a fault to the endpoint being marked healthy again (once unhealthy):
 * healthyAfter × max(interval + jitterMs, timeoutMs) + timeoutMs, where interval is unhealthyIntervalMs
 * when set (else intervalMs). The probe running when the fault ends may still fail.
 */
export function healthRecoveryBoundMs(s: HealthSettings): number {
  const interval = s.unhealthyIntervalMs ?? s.intervalMs;
  return s.healthyAfter * Math.max(interval + s.jitterMs, s.timeoutMs) + s.timeoutMs;
}

/**
 * Schedules probes for one endpoint on the injected clock and feeds a {@link HealthStateMachine}.
 *
 * - The first probe starts after a uniform 0..jitterMs delay.
 * - Probes start `interval + uniform(0, jitterMs)` after the previous probe STARTED (interval =
 *   unhealthyIntervalMs while unhealthy, if set, else intervalMs), but never before the previous probe
 *   has finished or timed out: a probe slower than the interval delays the next one (no overlap).
 * - A probe not settled after timeoutMs counts as failed at once, and its signal is aborted; a result
 *   it delivers later is ignored. A probe that ignores its signal may still run alongside the next.
 * - With a `stall` check, a timeout that a stall of this process caused is not counted: the probe runs
 *   again at once (`onExcused`), a bounded number of stalls in a row (stall/stall-guard.ts).
 * - Detection bound: see {@link healthDetectionBoundMs}.
 * - `probe: 'none'` makes start() a no-op: the state stays unknown.
 */
export class HealthChecker {
  readonly machine: HealthStateMachine;
  readonly endpoint: string;
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly probe: HealthProbe;
  private readonly stall: StallCheck | undefined;
  private readonly isTimeout: (e: unknown) => boolean;
  private readonly probeEmitter = new Emitter<ProbeResult>();
  private readonly excusedEmitter = new Emitter<ProbeExcused>();
  private started = false;
  private closed = false;
  private probeId = 0;
  private inFlight = false;
  private startT = 0;
  private controller: AbortController | undefined;
  private nextTimer: TimerHandle | undefined;
  private timeoutTimer: TimerHandle | undefined;

  /** Health state changes (from the state machine). */
  readonly onTransition: Event<HealthTransition>;
  /** Every probe result. */
  readonly onProbe = this.probeEmitter.event;
  /** Every probe timeout excused as this process's own stall. */
  readonly onExcused = this.excusedEmitter.event;

  constructor(
    private readonly settings: HealthSettings,
    deps: HealthCheckerDeps,
  ) {
    if (!(settings.intervalMs > 0))
      throw new RangeError(`health intervalMs must be > 0, got ${settings.intervalMs}`);
    if (!(settings.timeoutMs > 0))
      throw new RangeError(`health timeoutMs must be > 0, got ${settings.timeoutMs}`);
    if (!(settings.jitterMs >= 0))
      throw new RangeError(`health jitterMs must be >= 0, got ${settings.jitterMs}`);
    const ui = settings.unhealthyIntervalMs;
    if (ui !== undefined && !(ui > 0))
      throw new RangeError(`health unhealthyIntervalMs must be > 0, got ${ui}`);
    this.endpoint = deps.endpoint;
    this.clock = deps.clock;
    this.rng = deps.rng;
    this.probe = deps.probe;
    this.stall = deps.stall;
    this.isTimeout = deps.isTimeout ?? (() => false);
    this.machine = new HealthStateMachine(settings, { clock: deps.clock, endpoint: deps.endpoint });
    this.onTransition = this.machine.onTransition;
  }

  get state(): HealthState {
    return this.machine.state;
  }

  /** Whether a probe is running now. */
  get probing(): boolean {
    return this.inFlight;
  }

  /** Schedules the first probe (after 0..jitterMs). Resolves at once; calling it again does nothing. */
  start(): Promise<void> {
    if (this.started || this.closed) return Promise.resolve();
    this.started = true;
    if (this.settings.probe !== 'none') this.schedule(this.jitter());
    return Promise.resolve();
  }

  /** Stops probing: clears timers, aborts a running probe, drops its result. Idempotent. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.clock.clearTimeout(this.nextTimer);
    this.clock.clearTimeout(this.timeoutTimer);
    this.nextTimer = undefined;
    this.timeoutTimer = undefined;
    this.controller?.abort(new ChaosError('CALL_CANCELLED', `${this.endpoint}: health checker closed`));
    this.controller = undefined;
    this.inFlight = false;
    this.probeEmitter.clear();
    this.excusedEmitter.clear();
    this.machine.dispose();
    return Promise.resolve();
  }

  private jitter(): number {
    return this.settings.jitterMs > 0 ? this.rng.uniform(0, this.settings.jitterMs) : 0;
  }

  private schedule(delayMs: number): void {
    this.nextTimer = this.clock.setTimeout(this.run, Math.max(0, delayMs));
  }

  private readonly run = (): void => {
    this.nextTimer = undefined;
    if (this.closed) return;
    const id = ++this.probeId;
    const controller = new AbortController();
    this.controller = controller;
    this.inFlight = true;
    this.startT = this.clock.now();
    const timeoutMs = this.settings.timeoutMs;
    this.timeoutTimer = this.clock.setTimeout(() => {
      this.timeoutTimer = undefined;
      if (id !== this.probeId || !this.inFlight) return;
      controller.abort(
        new ChaosError('CALL_TIMEOUT', `${this.endpoint}: health probe timed out after ${timeoutMs} ms`),
      );
      if (this.excused(this.startT + timeoutMs)) return;
      this.finish(false, `timeout after ${timeoutMs} ms`);
    }, timeoutMs);
    let pending: Promise<void>;
    try {
      pending = this.probe(controller.signal, timeoutMs);
    } catch (e) {
      pending = Promise.reject(e);
    }
    pending.then(
      () => this.settle(id, true, undefined),
      (e: unknown) => this.settle(id, false, e),
    );
  };

  private settle(id: number, ok: boolean, e: unknown): void {
    if (id !== this.probeId || !this.inFlight || this.closed) return;
    this.clock.clearTimeout(this.timeoutTimer);
    this.timeoutTimer = undefined;
    if (!ok && this.isTimeout(e) && this.excused(undefined)) return;
    this.finish(ok, ok ? undefined : errorMessage(e));
  }

  /**
   * A timeout that a stall of this process excuses (its timer due at `dueT`, when it was the checker's):
   * not counted; the probe runs again at once.
   */
  private excused(dueT: number | undefined): boolean {
    const t = this.clock.now();
    const timeoutMs = this.settings.timeoutMs;
    const stallMs = this.stall?.excuse(this.endpoint, this.startT, t, timeoutMs, dueT);
    if (stallMs === undefined) return false;
    this.inFlight = false;
    this.controller = undefined;
    if (this.excusedEmitter.hasListeners)
      this.excusedEmitter.emit({ endpoint: this.endpoint, t, stallMs, timeoutMs });
    this.schedule(0);
    return true;
  }

  private finish(ok: boolean, error: string | undefined): void {
    this.inFlight = false;
    this.controller = undefined;
    const t = this.clock.now();
    if (this.probeEmitter.hasListeners) {
      const result: ProbeResult = { endpoint: this.endpoint, ok, latencyMs: t - this.startT, t };
      if (error !== undefined) result.error = error;
      this.probeEmitter.emit(result);
    }
    if (ok) this.stall?.counted(this.endpoint);
    this.machine.record(ok, error);
    if (this.closed) return;
    const s = this.settings;
    const interval =
      this.machine.state === 'unhealthy' && s.unhealthyIntervalMs ? s.unhealthyIntervalMs : s.intervalMs;
    this.schedule(this.startT + interval + this.jitter() - t);
  }
}
