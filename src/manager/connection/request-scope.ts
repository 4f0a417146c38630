/**
 * Deadlines and cancellation of requests.
 * - {@link CallScope}: one public request (callTool/ping/listTools/connect): deadline timer on the injected
 *   clock + the caller's signal (+ `end()` when the connection closes), folded into one `signal`.
 * - {@link RequestScope}: one SDK request inside a call (the first try, or a replay). Over HTTP the
 *   session's {@link ScopeRegistry} maps its JSON-RPC id to it, so the transport's `fetch` (see
 *   bounded-fetch.ts) finds the signal of the request it is sending and can end the call early with
 *   `fail()` (e.g. its SSE stream ended before the answer).
 * No AsyncLocalStorage: on Node 20 an active one slows every promise in the process (~5× per await).
 */

import { afterIo } from '../../core/after-io.js';
import type { Clock, TimerHandle } from '../../core/clock.js';
import { ChaosError } from '../../core/errors.js';
import { onAbort } from './abort-fanout.js';

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

  /** Why the scope ended, if it did by deadline, cancel or close. */
  get ended(): ScopeEnd | undefined {
    const r: unknown = this.ctl.signal.reason;
    return this.ctl.signal.aborted && r instanceof ScopeEnd ? r : undefined;
  }

  /** The error that failed one of its requests (RequestScope.fail), if any. */
  get failure(): ChaosError | undefined {
    const r: unknown = this.ctl.signal.reason;
    return this.ctl.signal.aborted && r instanceof ChaosError ? r : undefined;
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
    this.unlink.push(onAbort(signal, () => this.end(reason())));
  }
}

export class RequestScope {
  private readonly awaiting = new Set<string | number>();
  private readonly delivered = new Set<string | number>();
  private done = false;
  private settled: Array<() => void> | undefined;
  /** JSON-RPC ids of the requests sent in this scope (filled by the ScopeRegistry). */
  readonly ids: Array<string | number> = [];
  /** The scope's tag, when it has one (ScopeRegistry.tag). */
  tag: string | undefined;

  /**
   * @param call the call this request belongs to: its signal is the request's signal, and `fail()` ends it
   * @param onStreamLost builds the error for a response stream that ended before the answer
   */
  constructor(
    private readonly call: CallScope,
    private readonly onStreamLost: (cause: unknown) => ChaosError,
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

  /** Ends the request as one whose answer stream was lost (`cause`: why). */
  lost(cause?: unknown): void {
    if (this.live) this.fail(this.onStreamLost(cause));
  }

  /** Runs `fn` once the request has settled — answered, failed or aborted (at once if it has). */
  whenSettled(fn: () => void): void {
    if (this.done) fn();
    else if (this.settled) this.settled.push(fn);
    else this.settled = [fn];
  }

  /** The SSE response stream for JSON-RPC request `id` is open: its answer is awaited there. */
  expect(id: string | number): void {
    this.awaiting.add(id);
  }

  /** The answer to `id` was delivered to the SDK. */
  answered(id: string | number): void {
    this.awaiting.delete(id);
    this.delivered.add(id);
  }

  /**
   * The transport finished sending request `id`. Unless its answer streams over SSE (`expect`), the SDK has
   * read the whole answer by now: if it did not carry `id` (another id, or a 202 without a body), no
   * answer will come, and the request fails at once with `noAnswer()` instead of waiting for its deadline.
   */
  sendSettled(id: string | number, noAnswer: () => ChaosError): void {
    if (this.live && !this.awaiting.has(id) && !this.delivered.has(id)) this.fail(noAnswer());
  }

  /**
   * The SSE response stream of request `id` ended (cleanly or not). The SDK hands an answer over through
   * microtasks only, so if it is still awaited two macrotask turns later, no answer will come on it — unless
   * `resume()` resumes the stream (a 2025 server's SEP-1699 priming event made it resumable): true when it
   * does, and the request keeps waiting.
   */
  streamEnded(id: string | number, cause?: unknown, resume?: () => boolean): void {
    if (!this.live || !this.awaiting.has(id)) return;
    afterIo(() =>
      afterIo(() => {
        if (this.live && this.awaiting.has(id) && !(resume?.() ?? false)) this.fail(this.onStreamLost(cause));
      }),
    );
  }

  /**
   * Runs the SDK request `fn` with the call's signal. The SDK rejects a request at once when its signal
   * aborts, so no extra race is needed (connect, which may wait outside a request, races on its own).
   */
  async run<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = this.call.signal;
    if (signal.aborted) throw signal.reason;
    try {
      return await fn(signal);
    } finally {
      this.done = true;
      const settled = this.settled;
      this.settled = undefined;
      for (const f of settled ?? []) f();
    }
  }
}

/**
 * Per HTTP session: which RequestScope owns which JSON-RPC request id. The SDK sends a request
 * synchronously from `client.callTool/ping/listTools` (Protocol.request calls `transport.send` in its
 * promise executor), so a request sent while a scope `claim`s the session belongs to it; requests sent
 * while the session connects belong to the connect scope.
 */
/** The transport-options header carrying a request's scope tag; never sent (trackScopes strips it). */
export const SCOPE_TAG_HEADER = 'x-mcp-chaos-scope';

export class ScopeRegistry {
  private claimant: RequestScope | undefined;
  private connecting: RequestScope | undefined;
  private readonly byId = new Map<string | number, RequestScope>();
  private readonly byTag = new Map<string, RequestScope>();
  private tags = 0;

  /**
   * A tag for `scope`, for an SDK that sends asynchronously (the v2 client awaits before it sends, so a
   * synchronous claim misses it): the request carries it in its transport options' headers
   * ({@link SCOPE_TAG_HEADER}), and the wrapped `send` maps the request's id through it.
   */
  tag(scope: RequestScope): string {
    const tag = String(++this.tags);
    this.byTag.set(tag, scope);
    scope.tag = tag;
    return tag;
  }

  /** Runs `send` (which must send synchronously) with `scope` owning what it sends. */
  claim<T>(scope: RequestScope, send: () => T): T {
    this.claimant = scope;
    try {
      return send();
    } finally {
      this.claimant = undefined;
    }
  }

  /** Owner of the requests sent while the session connects (undefined to end). */
  setConnectScope(scope: RequestScope | undefined): void {
    this.connecting = scope;
  }

  /** Called by the wrapped `transport.send` for every JSON-RPC request it sends (with its tag, if any). */
  sent(id: string | number, tag?: string): void {
    const owner = this.claimant ?? (tag === undefined ? undefined : this.byTag.get(tag)) ?? this.connecting;
    if (!owner) return;
    this.byId.set(id, owner);
    owner.ids.push(id);
  }

  get(id: string | number): RequestScope | undefined {
    return this.byId.get(id);
  }

  /** Forgets a settled scope's ids. */
  release(scope: RequestScope): void {
    for (const id of scope.ids) if (this.byId.get(id) === scope) this.byId.delete(id);
    scope.ids.length = 0;
    if (scope.tag !== undefined) this.byTag.delete(scope.tag);
  }
}

/**
 * A signal of its own that follows a caller's signal, for one request: the SDK adds an abort listener to
 * a request's signal and never removes it, so a long-lived caller signal must not be handed over as is.
 * `dispose()` unlinks it once the request settled. Links share one listener per caller signal (onAbort).
 */
export class SignalLink {
  private readonly ctl = new AbortController();
  private readonly unlink: () => void;

  constructor(caller: AbortSignal) {
    const ctl = this.ctl;
    this.unlink = onAbort(caller, () => ctl.abort(caller.reason));
  }

  get signal(): AbortSignal {
    return this.ctl.signal;
  }

  dispose(): void {
    this.unlink();
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
