/**
 * Deadlines and cancellation of requests.
 * - {@link CallScope}: one public request (callTool/ping/listTools/connect): deadline timer on the injected
 *   clock + the caller's signal (+ `end()` when the connection closes), folded into one `signal`.
 * - {@link RequestScope}: one SDK request inside a call (the first try, or a replay). It runs in an
 *   AsyncLocalStorage context so the transport's `fetch` (see bounded-fetch.ts) finds the signal of the
 *   request it is sending, and can end the call early with `fail()` (e.g. its SSE stream ended).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { ChaosError } from '../../core/errors.js';

/** Why a scope ended early: its abort reason. */
export class ScopeEnd extends Error {
  constructor(
    readonly kind: 'timeout' | 'cancelled' | 'closed',
    message: string,
  ) {
    super(message);
    this.name = 'ScopeEnd';
  }
}

export class CallScope {
  private readonly ctl = new AbortController();
  private readonly timer: TimerHandle;
  private readonly unlink: Array<() => void> = [];
  readonly startedAt: number;
  readonly deadline: number;

  constructor(
    private readonly clock: Clock,
    readonly timeoutMs: number,
    callerSignal?: AbortSignal,
  ) {
    this.startedAt = clock.now();
    this.deadline = this.startedAt + timeoutMs;
    this.timer = clock.setTimeout(
      () => this.end(new ScopeEnd('timeout', `deadline of ${timeoutMs} ms passed`)),
      timeoutMs,
    );
    this.link(callerSignal, () => new ScopeEnd('cancelled', 'cancelled by the caller'));
  }

  /** Aborts at the deadline, on the caller's cancel, or when the connection closes. */
  get signal(): AbortSignal {
    return this.ctl.signal;
  }

  /** Why the scope ended, if it did. */
  get ended(): ScopeEnd | undefined {
    const r: unknown = this.ctl.signal.reason;
    return this.ctl.signal.aborted && r instanceof ScopeEnd ? r : undefined;
  }

  remainingMs(): number {
    return Math.max(0, this.deadline - this.clock.now());
  }

  elapsedMs(): number {
    return this.clock.now() - this.startedAt;
  }

  /** Settles like `p`, or rejects with the scope's end reason if that comes first. */
  race<T>(p: Promise<T>): Promise<T> {
    return raceSignal(p, this.ctl.signal);
  }

  /** Clears the timer and the links. Idempotent. */
  dispose(): void {
    this.clock.clearTimeout(this.timer);
    for (const u of this.unlink.splice(0)) u();
  }

  /** Ends the scope now (first reason wins): a {@link ScopeEnd}, or the error that failed its request. */
  end(reason: ScopeEnd | ChaosError): void {
    if (!this.ctl.signal.aborted) this.ctl.abort(reason);
  }

  private link(signal: AbortSignal | undefined, reason: () => ScopeEnd): void {
    if (!signal) return;
    if (signal.aborted) {
      this.end(reason());
      return;
    }
    const onAbort = () => this.end(reason());
    signal.addEventListener('abort', onAbort, { once: true });
    this.unlink.push(() => signal.removeEventListener('abort', onAbort));
  }
}

const storage = new AsyncLocalStorage<RequestScope>();

/** The scope of the SDK request running in the current async context, if any. */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

/** Runs `fn` outside any request scope (for background work started from inside one). */
export function outsideRequestScope<T>(fn: () => T): T {
  return storage.exit(fn);
}

export class RequestScope {
  private readonly awaiting = new Set<string | number>();
  private done = false;

  /**
   * @param call the call this request belongs to: its signal is the request's signal, and `fail()` ends it
   * @param onStreamLost builds the error for a response stream that ended before the answer
   * @param withContext run in the AsyncLocalStorage context the HTTP fetch wrapper reads (HTTP only: on
   *   Node 20 an active AsyncLocalStorage slows every promise, so stdio does without)
   */
  constructor(
    private readonly call: CallScope,
    private readonly onStreamLost: (cause: unknown) => ChaosError,
    private readonly withContext = true,
  ) {}

  get signal(): AbortSignal {
    return this.call.signal;
  }

  /** Still waiting for its answer. */
  get live(): boolean {
    return !this.done && !this.call.signal.aborted;
  }

  /** Ends the request — and its call — now with `error` (no-op once settled). */
  fail(error: ChaosError): void {
    if (this.live) this.call.end(error);
  }

  /** The SSE response stream for JSON-RPC request `id` is open: its answer is awaited there. */
  expect(id: string | number): void {
    this.awaiting.add(id);
  }

  /** The answer to `id` was delivered to the SDK. */
  answered(id: string | number): void {
    this.awaiting.delete(id);
  }

  /**
   * The SSE response stream of request `id` ended (cleanly or not). The SDK hands an answer over through
   * microtasks only, so if it is still awaited two macrotask turns later, no answer will come.
   */
  streamEnded(id: string | number, cause?: unknown): void {
    if (!this.live || !this.awaiting.has(id)) return;
    setImmediate(() =>
      setImmediate(() => {
        if (this.live && this.awaiting.has(id)) this.fail(this.onStreamLost(cause));
      }),
    );
  }

  /** Runs the SDK request `fn` in this scope; rejects early with the call's abort reason. */
  async run<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = this.call.signal;
    if (signal.aborted) throw signal.reason;
    try {
      const p = this.withContext ? storage.run(this, () => fn(signal)) : fn(signal);
      return await raceSignal(p, signal);
    } finally {
      this.done = true;
    }
  }
}

/** Settles like `p`, or rejects with `signal.reason` when it aborts first. */
export function raceSignal<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
