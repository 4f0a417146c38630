/**
 * (Over 350 lines: the call's state machine; what it composes — attempts, targets, retries, hedges,
 * Retry-After, its promise — is already in files of its own, and the rest shares the call's state.)
 *
 * One call through the pipeline, as a small state machine (no async/await on the hot path). Its parts live
 * beside it: the attempts (attempt-set.ts), where an attempt goes (target-finder.ts), retries
 * (retry-timer.ts), hedges (hedge-timer.ts), Retry-After (retry-after.ts), the promise
 * (promise-settlers.ts). docs/manager.md has the rules:
 *
 *   call-start → [pick endpoint → bulkhead slot → breaker permit → attempt-start → connection.callTool
 *   → attempt-end] … → call-end
 *
 * - One overall deadline; each attempt gets the time remaining; at the deadline live attempts end `timeout`.
 * - Refusals before sending (breaker, bulkhead) move to another endpoint for any call; they are not attempts.
 * - A retryable failure is retried on another endpoint by an idempotent call (or any call when the request
 *   provably never left) within `retry.attempts`, the retry budget and the deadline.
 * - Hedging (idempotent calls): one hedge after the hedge delay; the first result wins, the loser is cancelled.
 * - Events are exactly consistent: one call-start and one call-end per call, every attempt-start has one
 *   attempt-end (before the call-end), `trial` marks half-open admissions.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type ChaosError, type ErrorCode, errorMessage } from '../../core/errors.js';
import type { CallOptions, FailureClass, ManagerEvent, Outcome } from '../types.js';
import {
  type Attempt,
  type AttemptKind,
  type AttemptOwner,
  AttemptSet,
  ignorePermit,
} from './attempt-set.js';
import { callError, reportedOutcome } from './call-errors.js';
import type { CallGroup, CallTarget, PermitLike, ReleaseLike, TokenLike } from './call-target.js';
import { HedgeTimer, MIN_ATTEMPT_MS } from './hedge-timer.js';
import type { PipelineCall, PipelineEnv } from './pipeline-env.js';
import { promiseWithSettlers } from './promise-settlers.js';
import { honourRetryAfter } from './retry-after.js';
import { RetryTimer } from './retry-timer.js';
import { type FinderOwner, type Launch, TargetFinder } from './target-finder.js';

interface LastFailure {
  outcome: FailureClass;
  error: unknown;
  endpoint: string;
}

export class CallExecution implements PipelineCall, AttemptOwner, FinderOwner {
  readonly t0: number;
  readonly deadline: number;
  private readonly idempotent: boolean;
  private readonly toolErrorsAreSuccess: boolean;
  private readonly attempts: AttemptSet;
  private readonly finder: TargetFinder;
  private done = false;
  /** Allocated when a retry or a hedge is first scheduled. */
  private retry: RetryTimer | undefined;
  private hedge: HedgeTimer | undefined;
  private lastFailure: LastFailure | undefined;
  private abortListener: (() => void) | undefined;
  /** run() is launching the first attempt synchronously: its start time is the call's `t0`. */
  private starting = false;
  /** @internal Links of `env.active`. */
  activePrev: PipelineCall | undefined = undefined;
  /** @internal */
  activeNext: PipelineCall | undefined = undefined;
  /** @internal */
  activeListed = false;
  /** @internal Set by promiseWithSettlers. */
  resolve!: (r: CallToolResult) => void;
  /** @internal Set by promiseWithSettlers. */
  reject!: (e: ChaosError) => void;

  constructor(
    private readonly env: PipelineEnv,
    private readonly group: CallGroup,
    readonly callId: number,
    readonly tool: string,
    private readonly args: Record<string, unknown> | undefined,
    private readonly opts: CallOptions,
  ) {
    this.t0 = env.clock.now();
    this.deadline = this.t0 + (opts.timeoutMs ?? group.settings.callTimeoutMs);
    this.idempotent = opts.idempotent === true;
    this.toolErrorsAreSuccess = opts.toolErrorsAreSuccess === true;
    this.attempts = new AttemptSet(env, callId);
    this.finder = new TargetFinder(
      group,
      this.attempts,
      opts.key === undefined ? NO_KEY : { key: opts.key },
      this,
    );
  }

  /** Starts the call; the promise settles exactly once, after call-end was emitted. */
  run(): Promise<CallToolResult> {
    const promise = promiseWithSettlers(this);
    const { env, group } = this;
    env.counts.started++;
    group.retryBudget.noteRequest();
    if (env.events.hasListeners) {
      const e: ManagerEvent = {
        type: 'call-start',
        t: this.t0,
        callId: this.callId,
        server: group.name,
        tool: this.tool,
        idempotent: this.idempotent,
        deadline: this.deadline,
      };
      if (this.opts.meta !== undefined) e.meta = this.opts.meta;
      env.events.emit(e);
    }
    const signal = this.opts.signal;
    if (signal?.aborted) {
      this.cancel('CALL_CANCELLED', 'cancelled by the caller before it started');
      return promise;
    }
    if (signal !== undefined) {
      this.abortListener = this.onCallerAbort.bind(this);
      signal.addEventListener('abort', this.abortListener, { once: true });
    }
    env.active.add(this);
    env.deadlines.watch(this.deadline);
    this.starting = true;
    this.launch('first', undefined);
    this.starting = false;
    return promise;
  }

  /** Ends the call now as cancelled with `code` (CALL_CANCELLED or MANAGER_CLOSED). */
  cancel(code: ErrorCode, why: string): void {
    if (this.done) return;
    this.attempts.endAll(this.env.clock.now(), 'cancelled', why, ignorePermit);
    this.fail('cancelled', undefined, { code, message: why });
  }

  // ------------------------------------------------------------------------------------------------
  // Launching attempts

  private launch(kind: AttemptKind, tokens: TokenLike[] | undefined): void {
    this.finder.find({ kind, excluded: this.attempts.liveTargets(), tokens });
  }

  /** @internal FinderOwner: the call has ended. */
  get finished(): boolean {
    return this.done;
  }

  /** @internal FinderOwner: nothing was found for a launch. */
  foundNothing(): void {
    this.settleIfIdle();
  }

  /** @internal FinderOwner: sends the attempt on `target`. */
  sendOn(target: CallTarget, permit: PermitLike, release: ReleaseLike, l: Launch): void {
    const { env, group } = this;
    // The first attempt reuses the call's start time (one clock read less per call), except for a
    // half-open trial: its permit may have moved the breaker open → half-open just now, and the attempt
    // must not be stamped before that transition or a time-sorted history shows it reaching an open breaker.
    const now = this.starting && !permit.trial ? this.t0 : env.clock.now();
    // attemptTimeout: the attempt's own deadline, when it falls before the call's (the connection keeps it
    // and fails the attempt as `timeout`; the call may then retry elsewhere in the time left).
    const own = target.attemptTimeoutMs;
    const attemptDeadline = own !== undefined && now + own < this.deadline ? now + own : undefined;
    const att = this.attempts.start(
      this,
      target,
      permit,
      release,
      l.tokens,
      l.kind,
      now,
      attemptDeadline,
      this.deadline,
    );
    l.tokens = undefined;
    if (l.kind !== 'first') {
      env.counts.retries++;
      if (l.kind === 'hedge') group.metrics.hedge();
      else group.metrics.retry();
    }
    const cancellable = group.hedge !== undefined && this.idempotent;
    AttemptSet.send(att, this.tool, this.args, {
      timeoutMs: Math.max(MIN_ATTEMPT_MS, (attemptDeadline ?? this.deadline) - now),
      signal: this.opts.signal,
      idempotent: this.idempotent,
      cancellable,
      meta: this.opts.meta,
      input: this.opts.input,
      onProgress: this.opts.onProgress,
      relay: this.opts,
    });
    if (l.kind === 'first' && cancellable && this.hedge === undefined) {
      this.hedge = new HedgeTimer(env.clock);
      this.hedge.arm(group, this.t0, this.deadline, this.onHedgeTimer.bind(this));
    }
  }

  /** Nothing in flight, queued or scheduled: the call ends with the last failure, or as a rejection. */
  private settleIfIdle(): void {
    const busy = this.attempts.live.length > 0 || this.finder.waiting > 0 || this.retry?.waiting === true;
    if (this.done || busy) return;
    const last = this.lastFailure;
    if (last) {
      this.fail(last.outcome, last.endpoint, { cause: last.error });
      return;
    }
    const ending = this.finder.ending();
    this.fail(ending.outcome, undefined, ending);
  }

  // ------------------------------------------------------------------------------------------------
  // Attempt results

  /** @internal AttemptOwner: an attempt's request came back with a result. */
  onResult(att: Attempt, result: CallToolResult): void {
    if (att.ended) return;
    const { group } = this;
    const now = this.env.clock.now();
    // A result handed over after the deadline (its parsing blocked the deadline timer) is discarded: no
    // call settles after its deadline, whatever the server sends.
    if (now > this.deadline) {
      this.expire();
      return;
    }
    const latency = now - att.t0;
    const isError = result.isError === true;
    this.attempts.end(att, isError ? 'tool-error' : 'success', latency, undefined);
    att.target.recordLatency(latency);
    if (isError && !this.toolErrorsAreSuccess && group.counted.has('tool-error')) {
      att.permit.failure('tool-error', latency);
      group.outlier.recordFailure(att.target.id);
    } else {
      // The endpoint answered properly at the transport level.
      this.env.stall?.counted(att.target.id);
      att.permit.success(latency);
      group.outlier.recordSuccess(att.target.id);
    }
    if (!isError) group.hedge?.recordLatency(latency);
    this.succeed(result, att.target, isError && !this.toolErrorsAreSuccess ? 'tool-error' : 'success', now);
  }

  /** @internal AttemptOwner: an attempt's request failed. */
  onError(att: Attempt, e: unknown): void {
    if (att.ended) return;
    const { env } = this;
    const latency = env.clock.now() - att.t0;
    const failure = env.classify(e);
    if (failure === 'overloaded') honourRetryAfter(this.env, att.target, e, att.t0 + latency);
    this.attempts.end(att, failure, latency, errorMessage(e));
    att.target.recordLatency(latency);
    this.judgeFailure(att, failure, latency, undefined);
    this.lastFailure = { outcome: failure, error: e, endpoint: att.target.id };
    if (this.attempts.live.length > 0 || this.finder.waiting > 0) return; // a hedge is still running: it decides
    this.maybeRetry(failure, e);
  }

  private maybeRetry(failure: FailureClass, e: unknown): void {
    const { env, group } = this;
    const now = env.clock.now();
    if (this.retry === undefined) this.retry = new RetryTimer(env.clock);
    const delay = this.retry.delayFor(
      failure,
      e,
      this.idempotent,
      group.settings.retry,
      env.rng,
      now,
      this.deadline,
    );
    if (delay === undefined) {
      this.settleIfIdle();
      return;
    }
    const token = group.retryBudget.tryAcquireRetry();
    if (token === undefined) {
      group.metrics.retryDenied();
      if (env.events.hasListeners) {
        env.events.emit({
          type: 'retry-denied',
          t: now,
          callId: this.callId,
          server: group.name,
          reason: `retry budget exhausted after ${failure} on ${this.lastFailure?.endpoint}`,
        });
      }
      const last = this.lastFailure as LastFailure;
      this.fail(last.outcome, last.endpoint, { cause: last.error, retryDenied: true });
      return;
    }
    this.retry.schedule(delay, token, this.onRetryTimer.bind(this));
  }

  private onRetryTimer(token: TokenLike): void {
    if (this.done) {
      token.release();
      return;
    }
    this.launch('retry', [token]);
  }

  // ------------------------------------------------------------------------------------------------
  // Hedging

  private onHedgeTimer(): void {
    const hedge = this.hedge as HedgeTimer;
    if (this.done || this.attempts.live.length === 0 || hedge.sent) return;
    const tokens = hedge.take(this.group);
    if (tokens !== undefined) this.launch('hedge', tokens);
  }

  // ------------------------------------------------------------------------------------------------
  // Deadline and cancellation

  /** @internal The deadline passed (called by the pipeline's DeadlineTimer while the call is active). */
  expire(): void {
    if (this.done) return;
    this.attempts.endAll(this.env.clock.now(), 'timeout', 'call deadline passed', (att, latency) =>
      this.judgeFailure(att, 'timeout', latency, this.deadline),
    );
    const last = this.lastFailure;
    this.fail('timeout', undefined, {
      message: `deadline of ${this.deadline - this.t0} ms passed`,
      ...(last ? { cause: last.error } : {}),
    });
  }

  /**
   * Tells the attempt's breaker permit and its server's outlier detector about a failure — unless it is a
   * timeout that this process's own stall excuses (stall-guard.ts): then the permit is released uncounted
   * and a `stall` event says why. `dueT`: when the timer that ended it was due (the call's deadline).
   */
  private judgeFailure(att: Attempt, failure: FailureClass, latency: number, dueT: number | undefined): void {
    const { env, group } = this;
    const stall = env.stall;
    if (failure === 'timeout' && stall !== undefined) {
      const t = att.t0 + latency;
      const stallMs = stall.excuse(att.target.id, att.t0, t, att.dueT - att.t0, dueT);
      if (stallMs !== undefined) {
        att.permit.ignore();
        att.target.metrics.stallExcused('attempt');
        if (env.events.hasListeners) {
          env.events.emit({
            type: 'stall',
            t,
            endpoint: att.target.id,
            what: 'attempt',
            stallMs,
            timeoutMs: att.dueT - att.t0,
            callId: this.callId,
          });
        }
        return;
      }
    }
    att.permit.failure(failure, latency);
    if (group.counted.has(failure)) group.outlier.recordFailure(att.target.id);
  }

  private onCallerAbort(): void {
    this.cancel('CALL_CANCELLED', 'cancelled by the caller');
  }

  // ------------------------------------------------------------------------------------------------
  // Endings

  private succeed(
    result: CallToolResult,
    target: CallTarget,
    outcome: 'success' | 'tool-error',
    now: number,
  ): void {
    this.finish(outcome, target.id, undefined, now);
    this.resolve(result);
  }

  private fail(
    outcome: Outcome,
    endpoint: string | undefined,
    info: { code?: ErrorCode; cause?: unknown; message?: string; retryDenied?: boolean },
  ): void {
    const err = callError({
      server: this.group.name,
      tool: this.tool,
      callId: this.callId,
      outcome,
      attempts: this.attempts.count,
      ...(endpoint !== undefined ? { endpoint } : {}),
      ...info,
    });
    this.finish(outcome, endpoint, err.message, undefined, reportedOutcome(info.cause));
    this.reject(err);
  }

  /** @param nowMs the clock's time if the caller just read it (saves a read) */
  private finish(
    outcome: Outcome,
    endpoint: string | undefined,
    error: string | undefined,
    nowMs?: number,
    reported?: Outcome,
  ): void {
    this.done = true;
    const { env, group } = this;
    const clock = env.clock;
    this.retry?.clear();
    this.hedge?.clear();
    if (this.abortListener !== undefined) this.opts.signal?.removeEventListener('abort', this.abortListener);
    env.active.delete(this);
    const now = nowMs ?? clock.now();
    // Losers of a hedge race (and anything else still running) end before the call does.
    this.attempts.endAll(now, 'cancelled', 'another attempt finished the call', ignorePermit);
    this.finder.stop();
    const latencyMs = now - this.t0;
    env.counts.ended(outcome);
    group.metrics.callEnded(endpoint ?? '', outcome, latencyMs);
    if (env.events.hasListeners) {
      const ev: ManagerEvent = {
        type: 'call-end',
        t: now,
        callId: this.callId,
        server: group.name,
        outcome,
        latencyMs,
        attempts: this.attempts.count,
      };
      if (endpoint !== undefined) ev.endpoint = endpoint;
      if (error !== undefined) ev.error = error;
      if (reported !== undefined) ev.reported = reported;
      env.events.emit(ev);
    }
  }
}

const NO_KEY: { key?: string } = {};
