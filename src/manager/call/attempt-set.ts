/**
 * The attempts of one call: which are live, how many were started, which endpoints were tried, and the
 * bookkeeping of an attempt's start and end (in-flight counts, bulkhead slots, tokens, metrics, events).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CallOptions, ManagerEvent, Outcome, ProgressListener, ToolInput } from '../types.js';
import type { CallTarget, PermitLike, ReleaseLike, TokenLike } from './call-target.js';
import type { PipelineEnv } from './pipeline-env.js';

export type AttemptKind = 'first' | 'retry' | 'hedge';

/** What hears an attempt's result (the call). */
export interface AttemptOwner {
  onResult(att: Attempt, result: CallToolResult): void;
  onError(att: Attempt, e: unknown): void;
}

/** One attempt: a request to one endpoint. */
export interface Attempt {
  owner: AttemptOwner;
  no: number;
  target: CallTarget;
  permit: PermitLike;
  release: ReleaseLike;
  t0: number;
  /** When it times out: its own deadline (attemptTimeout) or the call's. */
  dueT: number;
  controller: AbortController | undefined;
  ended: boolean;
  /** The connection has not settled the request yet: its bulkhead slot stays taken until it does. */
  sent: boolean;
  /** Retry-budget and hedge tokens this attempt holds (released when it ends). */
  tokens: TokenLike[] | undefined;
}

export class AttemptSet {
  /** Live attempts, in start order. */
  readonly live: Attempt[] = [];
  /** Attempts started so far. */
  count = 0;
  /** Endpoints that got an attempt (allocated on the first send). */
  tried: CallTarget[] | undefined;

  constructor(
    private readonly env: PipelineEnv,
    private readonly callId: number,
  ) {}

  /** Records a new live attempt on `target` (in-flight count, tried list, attempt-start event). */
  start(
    owner: AttemptOwner,
    target: CallTarget,
    permit: PermitLike,
    release: ReleaseLike,
    tokens: TokenLike[] | undefined,
    kind: AttemptKind,
    now: number,
    attemptDeadline: number | undefined,
    callDeadline: number,
  ): Attempt {
    const att: Attempt = {
      owner,
      no: ++this.count,
      target,
      permit,
      release,
      t0: now,
      dueT: attemptDeadline ?? callDeadline,
      controller: undefined,
      ended: false,
      sent: true,
      tokens,
    };
    this.live.push(att);
    if (this.tried === undefined) this.tried = [target];
    else if (!this.tried.includes(target)) this.tried.push(target);
    target.inFlight++;
    if (this.env.events.hasListeners) {
      const ev: ManagerEvent = {
        type: 'attempt-start',
        t: now,
        callId: this.callId,
        attempt: att.no,
        endpoint: target.id,
        trial: permit.trial,
        kind,
      };
      if (attemptDeadline !== undefined) ev.attemptDeadline = attemptDeadline;
      this.env.events.emit(ev);
    }
    return att;
  }

  /** The endpoints of the live attempts (undefined when none), which a new launch must not pick. */
  liveTargets(): CallTarget[] | undefined {
    return this.live.length === 0 ? undefined : this.live.map((a) => a.target);
  }

  /**
   * Ends an attempt for the call (events, metrics, tokens). Its bulkhead slot and in-flight count are freed
   * once the connection has settled the request too: at once for results and errors; for attempts ended
   * by the call (deadline, cancel, lost hedge) when the connection lets go — it enforces the same deadline
   * and honours the signal, so that is at most the deadline — keeping in-flight requests within the bulkhead.
   */
  end(att: Attempt, outcome: Outcome, latencyMs: number, error: string | undefined): void {
    att.ended = true;
    removeItem(this.live, att);
    if (!att.sent) releaseSlot(att);
    if (att.tokens !== undefined) releaseAll(att.tokens);
    att.target.metrics.attemptEnded(outcome, latencyMs);
    if (this.env.events.hasListeners) {
      const ev: ManagerEvent = {
        type: 'attempt-end',
        t: att.t0 + latencyMs,
        callId: this.callId,
        attempt: att.no,
        endpoint: att.target.id,
        outcome,
        latencyMs,
      };
      if (error !== undefined) ev.error = error;
      this.env.events.emit(ev);
    }
  }

  /**
   * Ends every live attempt at `now`: each is aborted and ended with `outcome`, then `judge` tells its
   * breaker permit and outlier detector what that means (ignored for a cancel, a failure for a timeout).
   */
  endAll(
    now: number,
    outcome: 'cancelled' | 'timeout',
    why: string,
    judge: (att: Attempt, latencyMs: number) => void,
  ): void {
    while (this.live.length > 0) {
      const att = this.live[0] as Attempt;
      const latencyMs = now - att.t0;
      // A timed-out request is aborted before its end is recorded; a cancelled one after its permit is
      // released (the order the pipeline always had).
      if (outcome === 'timeout') att.controller?.abort();
      this.end(att, outcome, latencyMs, why);
      judge(att, latencyMs);
      if (outcome === 'cancelled') att.controller?.abort();
    }
  }

  /**
   * Sends the attempt's request. Without `cancellable` the connection gets the caller's signal as is (its
   * own deadline is the call's, and close() closes it); a cancellable attempt (hedged calls) gets its own
   * controller, so a loser can be cancelled.
   */
  static send(
    att: Attempt,
    tool: string,
    args: Record<string, unknown> | undefined,
    opts: {
      timeoutMs: number;
      signal: AbortSignal | undefined;
      idempotent: boolean;
      cancellable: boolean;
      meta: Record<string, unknown> | undefined;
      input: ToolInput | undefined;
      onProgress: ProgressListener | undefined;
      /** The caller's handlers of the server's own requests and log messages (CallOptions). */
      relay: Pick<CallOptions, 'onServerRequest' | 'onNotification'>;
    },
  ): void {
    let signal = opts.signal;
    if (opts.cancellable) {
      att.controller = new AbortController();
      signal =
        signal === undefined ? att.controller.signal : AbortSignal.any([signal, att.controller.signal]);
    }
    let pending: Promise<CallToolResult>;
    try {
      pending = att.target.connection.callTool(
        tool,
        args,
        opts.meta === undefined &&
          opts.input === undefined &&
          opts.onProgress === undefined &&
          opts.relay.onServerRequest === undefined &&
          opts.relay.onNotification === undefined
          ? { timeoutMs: opts.timeoutMs, signal, idempotent: opts.idempotent }
          : {
              timeoutMs: opts.timeoutMs,
              signal,
              idempotent: opts.idempotent,
              ...(opts.meta !== undefined ? { meta: opts.meta } : {}),
              ...(opts.input !== undefined ? { input: opts.input } : {}),
              ...(opts.onProgress !== undefined ? { onProgress: opts.onProgress } : {}),
              ...(opts.relay.onServerRequest !== undefined
                ? { onServerRequest: opts.relay.onServerRequest }
                : {}),
              ...(opts.relay.onNotification !== undefined
                ? { onNotification: opts.relay.onNotification }
                : {}),
            },
      );
    } catch (e) {
      pending = Promise.reject(e);
    }
    // Bound functions rather than closures: the cheapest per-call callbacks.
    pending.then(AttemptSet.fulfilled.bind(null, att), AttemptSet.rejected.bind(null, att));
  }

  /** Hands a settled request to its owner (or frees the slot of an attempt the call already ended). */
  static fulfilled(att: Attempt, result: CallToolResult): void {
    att.sent = false;
    if (att.ended) releaseSlot(att);
    else att.owner.onResult(att, result);
  }

  static rejected(att: Attempt, e: unknown): void {
    att.sent = false;
    if (att.ended) releaseSlot(att);
    else att.owner.onError(att, e);
  }
}

/** A permit's judgement of an attempt the call cancelled: it says nothing about the endpoint. */
export function ignorePermit(att: Attempt): void {
  att.permit.ignore();
}

function releaseSlot(att: Attempt): void {
  att.target.inFlight--;
  att.release();
}

export function releaseAll(tokens: TokenLike[] | undefined): void {
  if (tokens !== undefined) for (const t of tokens) t.release();
}

/** Removes `x` from `xs` in place, keeping the order (no array allocated, unlike splice). */
function removeItem<T>(xs: T[], x: T): void {
  const i = xs.indexOf(x);
  if (i < 0) return;
  for (let j = i + 1; j < xs.length; j++) xs[j - 1] = xs[j] as T;
  xs.pop();
}
