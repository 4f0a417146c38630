/**
 * The misbehaviour engine shared by every session of one mock server: counts tool calls, and before each
 * one decides (seeded) whether to crash, hang, wait, or answer with an injected error.
 */
import { type Clock, systemClock } from '../core/clock.js';
import { type Rng, SeededRng } from '../core/rng.js';
import { ExecutionLog } from './execution-log.js';
import { createLatencySampler } from './latency-sampler.js';
import { type MockBehaviourSettings, resolveBehaviour } from './mock-server-spec.js';

export interface MockBehaviourOptions {
  /** Time source for latency and `sleep` (default the system clock). */
  clock?: Clock;
  /** Append every execution to this file as a JSON line (child process mocks; see execution-log.ts). */
  executionLogFile?: string;
  /** Random source for latency and error draws (default `SeededRng(seed)`). */
  rng?: Rng;
}

/** What to do with a tool call that passed the gate. */
export type ToolCallVerdict = 'answer' | 'inject-error';

export class MockBehaviour {
  readonly clock: Clock;
  /** Every tool call executed (see execution-log.ts). */
  readonly executions: ExecutionLog;
  private current: MockBehaviourSettings;
  private readonly latencyRng: Rng;
  private readonly errorRng: Rng;
  private sample: () => number;
  private callCount = 0;
  private crashed = false;
  private crashHandler: (() => void) | undefined;
  private readonly closed = new AbortController();

  constructor(settings: MockBehaviourSettings, seed: number, options: MockBehaviourOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.executions = new ExecutionLog(options.executionLogFile);
    const rng = options.rng ?? new SeededRng(seed);
    this.latencyRng = rng.fork('latency');
    this.errorRng = rng.fork('errors');
    this.current = { ...settings };
    this.sample = createLatencySampler(settings.latency, this.latencyRng);
  }

  /** The settings in force. */
  get settings(): Readonly<MockBehaviourSettings> {
    return this.current;
  }

  /** Tool calls received so far (including one that triggered a crash). */
  get calls(): number {
    return this.callCount;
  }

  /** Whether `crashAfterCalls` was exceeded. */
  get hasCrashed(): boolean {
    return this.crashed;
  }

  /** Aborts when {@link close} is called: releases everything that waits. */
  get closedSignal(): AbortSignal {
    return this.closed.signal;
  }

  /** Who performs the crash (exit the process, or destroy the sockets). Called at most once. */
  onCrash(handler: () => void): void {
    this.crashHandler = handler;
  }

  /** Validates and applies a partial update (`latency: null` / `crashAfterCalls: null` remove them). */
  update(partial: Partial<Record<keyof MockBehaviourSettings, unknown>>): void {
    const next = resolveBehaviour(partial, this.current);
    if (partial.latency !== undefined) this.sample = createLatencySampler(next.latency, this.latencyRng);
    this.current = next;
  }

  /**
   * Gate of one tool call: counts it, then crashes (never settles), hangs (rejects only when `signal` or the
   * behaviour closes), waits the drawn latency, and finally tells whether to inject a tool error.
   */
  async beforeToolCall(signal: AbortSignal): Promise<ToolCallVerdict> {
    const n = ++this.callCount;
    const s = this.current;
    if (this.crashed || (s.crashAfterCalls !== undefined && n > s.crashAfterCalls)) {
      this.crash();
      await this.waitForever(signal);
    }
    if (s.hang) await this.waitForever(signal);
    const delayMs = this.sample();
    if (delayMs > 0) await this.clock.sleep(delayMs, this.linked(signal));
    return this.errorRng.chance(this.current.errorRate) ? 'inject-error' : 'answer';
  }

  /** Gate of one ping: hangs when `hang` is on or `answerPing` is off. */
  async beforePing(signal: AbortSignal): Promise<void> {
    if (this.crashed || this.current.hang || !this.current.answerPing) await this.waitForever(signal);
  }

  /** Sleeps for the `sleep` tool, released early by `signal` or {@link close}. */
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return this.clock.sleep(ms, this.linked(signal));
  }

  /** Releases every waiting call (they reject); later gates reject at once. Idempotent. */
  close(): void {
    if (!this.closed.signal.aborted) this.closed.abort(new Error('mock server closed'));
  }

  private crash(): void {
    if (this.crashed) return;
    this.crashed = true;
    this.crashHandler?.();
  }

  private linked(signal: AbortSignal): AbortSignal {
    return AbortSignal.any([signal, this.closed.signal]);
  }

  private waitForever(signal: AbortSignal): Promise<never> {
    const linked = this.linked(signal);
    return new Promise<never>((_resolve, reject) => {
      if (linked.aborted) {
        reject(linked.reason);
        return;
      }
      linked.addEventListener('abort', () => reject(linked.reason), { once: true });
    });
  }
}
