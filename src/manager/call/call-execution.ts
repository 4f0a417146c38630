/**
 * One call through the pipeline, as a small state machine (no async/await on the hot path):
 *
 *   call-start → [pick endpoint → bulkhead slot → breaker permit → attempt-start → connection.callTool
 *   → attempt-end] … → call-end
 *
 * - One overall deadline (`timeoutMs ?? settings.callTimeoutMs`); each attempt gets the time remaining.
 *   When the deadline passes, attempts still in flight end as `timeout` and the call ends CALL_TIMEOUT.
 * - Refusals before sending (breaker rejects, bulkhead full/timeout) move to another endpoint for any
 *   call, idempotent or not, and are not attempts (no attempt events, no retry budget).
 * - After a sent attempt fails with a retryable class (connection, timeout with time left, session-lost,
 *   server-5xx): an idempotent call retries on another endpoint (the same one only if no other is
 *   eligible) while `retry.attempts` allows, the retry budget admits it (else `retry-denied` is emitted and
 *   the call fails with the last error) and the jittered backoff fits in the deadline. A non-idempotent
 *   call retries only when the failure proves the request was never sent (connection refused, spawn
 *   failure); otherwise it fails with the error.
 * - Hedging (idempotent calls, `settings.hedge`): once the first attempt has run the hedge delay, one hedge
 *   goes to another endpoint; the first result wins and the loser ends `cancelled`.
 * - Candidates: eligible endpoints (breaker admits, health not unhealthy, not ejected) through the
 *   balancer; when none is, panic mode ignores active health (see select-target.ts).
 * - Events are exactly consistent: one call-start and one call-end per call, every attempt-start has one
 *   attempt-end (emitted before the call-end), `trial` marks half-open admissions.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Clock, TimerHandle } from '../../core/clock.js';
import { type ChaosError, type ErrorCode, errorMessage } from '../../core/errors.js';
import type { Emitter } from '../../core/events.js';
import type { Rng } from '../../core/rng.js';
import type { CallCounts } from '../metrics/index.js';
import { backoffDelay } from '../retry/index.js';
import type { CallOptions, FailureClass, ManagerEvent, Outcome } from '../types.js';
import type { ActiveCalls, ActiveLinks } from './active-calls.js';
import { callError, isRetryable, requestNotSent } from './call-errors.js';
import type { CallGroup, CallTarget, PermitLike, ReleaseLike, TokenLike } from './call-target.js';
import type { DeadlineTimer, Expiring } from './deadline-timer.js';
import { markCandidates, noTargetReason } from './select-target.js';

type AttemptKind = 'first' | 'retry' | 'hedge';

/** Shared by every call of one manager. */
export interface PipelineEnv {
  clock: Clock;
  rng: Rng;
  events: Emitter<ManagerEvent>;
  counts: CallCounts;
  /** Maps a connection error to its failure class. */
  classify(e: unknown): FailureClass;
  /** Calls in flight (close() ends them). */
  active: ActiveCalls<CallExecution>;
  /** The one timer of the deadlines of `active` (see deadline-timer.ts). */
  deadlines: DeadlineTimer<CallExecution>;
}

interface Attempt {
  exec: CallExecution;
  no: number;
  target: CallTarget;
  permit: PermitLike;
  release: ReleaseLike;
  t0: number;
  controller: AbortController | undefined;
  ended: boolean;
  /** The connection has not settled the request yet: its bulkhead slot stays taken until it does. */
  sent: boolean;
  /** Retry-budget and hedge tokens this attempt holds (released when it ends). */
  tokens: TokenLike[] | undefined;
}

interface Launch {
  kind: AttemptKind;
  /** Endpoints this launch may not pick: those in flight for the call, and those that refused it. */
  excluded: CallTarget[] | undefined;
  tokens: TokenLike[] | undefined;
}

interface LastFailure {
  outcome: FailureClass;
  error: unknown;
  endpoint: string;
}

const MIN_ATTEMPT_MS = 1;

export class CallExecution implements Expiring, ActiveLinks<CallExecution> {
  readonly t0: number;
  readonly deadline: number;
  private readonly idempotent: boolean;
  private readonly toolErrorsAreSuccess: boolean;
  /** Aborts bulkhead waits when the call ends; created only when a wait happens. */
  private controller: AbortController | undefined;
  private readonly live: Attempt[] = [];
  /** Endpoints that got an attempt (allocated on the first send). */
  private tried: CallTarget[] | undefined;
  private poolRejected: Set<CallTarget> | undefined;
  private breakerRejected: Map<CallTarget, 'CIRCUIT_OPEN' | 'HALF_OPEN_LIMIT'> | undefined;
  private done = false;
  private attempts = 0;
  private retries = 0;
  private hedged = false;
  private pendingAcquires = 0;
  private lastFailure: LastFailure | undefined;
  private retryTimer: TimerHandle | undefined;
  private retryToken: TokenLike | undefined;
  private hedgeTimer: TimerHandle | undefined;
  private readonly pickContext: { key?: string };
  private abortListener: (() => void) | undefined;
  /** run() is launching the first attempt synchronously: its start time is the call's `t0`. */
  private starting = false;
  /** @internal Links of `env.active`. */
  activePrev: CallExecution | undefined = undefined;
  /** @internal */
  activeNext: CallExecution | undefined = undefined;
  /** @internal */
  activeListed = false;
  /** @internal Set by the promise executor. */
  resolve!: (r: CallToolResult) => void;
  /** @internal Set by the promise executor. */
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
    this.pickContext = opts.key === undefined ? NO_KEY : { key: opts.key };
  }

  /** Starts the call; the promise settles exactly once, after call-end was emitted. */
  run(): Promise<CallToolResult> {
    capturing = this;
    const promise = new Promise<CallToolResult>(captureSettlers);
    const { env, group } = this;
    env.counts.started++;
    group.retryBudget.noteRequest();
    if (env.events.hasListeners) {
      env.events.emit({
        type: 'call-start',
        t: this.t0,
        callId: this.callId,
        server: group.name,
        tool: this.tool,
        idempotent: this.idempotent,
        deadline: this.deadline,
      });
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
    const now = this.env.clock.now();
    while (this.live.length > 0) {
      const att = this.live[0] as Attempt;
      this.endAttempt(att, 'cancelled', now - att.t0, why);
      att.permit.ignore();
      att.controller?.abort();
    }
    this.fail('cancelled', undefined, { code, message: why });
  }

  // ------------------------------------------------------------------------------------------------
  // Launching attempts

  private launch(kind: AttemptKind, tokens: TokenLike[] | undefined): void {
    const excluded = this.live.length === 0 ? undefined : this.live.map((a) => a.target);
    this.next({ kind, excluded, tokens });
  }

  private next(l: Launch): void {
    const { group } = this;
    for (;;) {
      if (this.done) {
        this.dropLaunch(l);
        return;
      }
      const allowTried = l.kind !== 'hedge';
      let n = markCandidates(group.endpoints, this.tried, l.excluded, allowTried);
      if (n === 0) n = markCandidates(group.endpoints, this.tried, l.excluded, allowTried, true);
      const target = n === 0 ? undefined : group.balancer.pick(group.endpoints, this.pickContext);
      if (target === undefined) {
        this.noTarget(l);
        return;
      }
      const fast = target.bulkhead.tryAcquire?.();
      if (fast !== undefined) {
        if (this.admit(target, fast, l)) return;
        continue;
      }
      if (l.excluded === undefined) l.excluded = [target];
      else l.excluded.push(target);
      this.pendingAcquires++;
      if (this.controller === undefined) this.controller = new AbortController();
      target.bulkhead.acquire(this.controller.signal).then(
        (release) => {
          this.pendingAcquires--;
          if (this.done) {
            release();
            this.dropLaunch(l);
            return;
          }
          if (!this.admit(target, release, l)) this.next(l);
        },
        () => {
          this.pendingAcquires--;
          if (this.done) {
            this.dropLaunch(l);
            return;
          }
          if (this.poolRejected === undefined) this.poolRejected = new Set();
          this.poolRejected.add(target);
          this.next(l);
        },
      );
      return;
    }
  }

  /** Breaker check after the bulkhead slot; sends on a permit. */
  private admit(target: CallTarget, release: ReleaseLike, l: Launch): boolean {
    const permit = target.breaker.tryAcquire();
    if (!permit.ok) {
      release();
      if (l.excluded === undefined) l.excluded = [target];
      else if (!l.excluded.includes(target)) l.excluded.push(target);
      if (this.breakerRejected === undefined) this.breakerRejected = new Map();
      this.breakerRejected.set(target, permit.code);
      return false;
    }
    this.send(target, permit, release, l);
    return true;
  }

  private send(target: CallTarget, permit: PermitLike, release: ReleaseLike, l: Launch): void {
    const { env, group } = this;
    // The first attempt reuses the call's start time (one clock read less per call), except for a
    // half-open trial: its permit may have moved the breaker open → half-open just now, and the attempt
    // must not be stamped before that transition or a time-sorted history shows it reaching an open breaker.
    const now = this.starting && !permit.trial ? this.t0 : env.clock.now();
    const att: Attempt = {
      exec: this,
      no: ++this.attempts,
      target,
      permit,
      release,
      t0: now,
      controller: undefined,
      ended: false,
      sent: true,
      tokens: l.tokens,
    };
    l.tokens = undefined;
    this.live.push(att);
    if (this.tried === undefined) this.tried = [target];
    else if (!this.tried.includes(target)) this.tried.push(target);
    target.inFlight++;
    if (l.kind !== 'first') {
      env.counts.retries++;
      if (l.kind === 'hedge') group.metrics.hedge();
      else group.metrics.retry();
    }
    if (env.events.hasListeners) {
      env.events.emit({
        type: 'attempt-start',
        t: now,
        callId: this.callId,
        attempt: att.no,
        endpoint: target.id,
        trial: permit.trial,
        kind: l.kind,
      });
    }
    // Without hedging the connection gets the caller's signal as is (its own deadline is ours, and
    // close() closes it); a hedged call gives each attempt its own controller, so a loser can be cancelled.
    let signal = this.opts.signal;
    if (group.hedge !== undefined && this.idempotent) {
      att.controller = new AbortController();
      signal =
        signal === undefined ? att.controller.signal : AbortSignal.any([signal, att.controller.signal]);
    }
    let pending: Promise<CallToolResult>;
    try {
      pending = target.connection.callTool(this.tool, this.args, {
        timeoutMs: Math.max(MIN_ATTEMPT_MS, this.deadline - now),
        signal,
        idempotent: this.idempotent,
      });
    } catch (e) {
      pending = Promise.reject(e);
    }
    // Bound prototype functions rather than closures: the cheapest per-call callbacks.
    pending.then(CallExecution.fulfilled.bind(null, att), CallExecution.rejected.bind(null, att));
    if (l.kind === 'first' && att.controller !== undefined && !this.hedged) this.scheduleHedge();
  }

  /** A launch that found no endpoint. */
  private noTarget(l: Launch): void {
    this.dropLaunch(l);
    this.settleIfIdle();
  }

  private dropLaunch(l: Launch): void {
    releaseAll(l.tokens);
    l.tokens = undefined;
  }

  /** Nothing in flight, queued or scheduled: the call ends with the last failure, or as a rejection. */
  private settleIfIdle(): void {
    if (this.done || this.live.length > 0 || this.pendingAcquires > 0 || this.retryTimer !== undefined)
      return;
    const last = this.lastFailure;
    if (last) {
      this.fail(last.outcome, last.endpoint, { cause: last.error });
      return;
    }
    const reason = noTargetReason(
      this.group.endpoints,
      this.poolRejected ?? EMPTY_SET,
      this.breakerRejected ?? EMPTY_MAP,
    );
    if (reason === 'half-open-limit') {
      this.fail('circuit-open', undefined, {
        code: 'HALF_OPEN_LIMIT',
        message: 'every endpoint is half-open at its trial limit',
      });
    } else if (reason === 'circuit-open') {
      this.fail('circuit-open', undefined, { message: 'every endpoint has an open circuit' });
    } else if (reason === 'pool-exhausted') {
      this.fail('pool-exhausted', undefined, {
        message: 'every eligible endpoint is at its in-flight and queue limit',
      });
    } else {
      this.fail('no-endpoint', undefined, {
        message: 'no endpoint is eligible (unhealthy, ejected or open)',
      });
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Attempt results

  private onResult(att: Attempt, result: CallToolResult): void {
    if (att.ended) return;
    const { group } = this;
    const now = this.env.clock.now();
    const latency = now - att.t0;
    const isError = result.isError === true;
    this.endAttempt(att, isError ? 'tool-error' : 'success', latency, undefined);
    att.target.recordLatency(latency);
    if (isError && !this.toolErrorsAreSuccess && group.counted.has('tool-error')) {
      att.permit.failure('tool-error', latency);
      group.outlier.recordFailure(att.target.id);
    } else {
      // The endpoint answered properly at the transport level.
      att.permit.success(latency);
      group.outlier.recordSuccess(att.target.id);
    }
    if (!isError) group.hedge?.recordLatency(latency);
    this.succeed(result, att.target, isError && !this.toolErrorsAreSuccess ? 'tool-error' : 'success', now);
  }

  private onError(att: Attempt, e: unknown): void {
    if (att.ended) return;
    const { env, group } = this;
    const latency = env.clock.now() - att.t0;
    const failure = env.classify(e);
    this.endAttempt(att, failure, latency, errorMessage(e));
    att.target.recordLatency(latency);
    att.permit.failure(failure, latency);
    if (group.counted.has(failure)) group.outlier.recordFailure(att.target.id);
    this.lastFailure = { outcome: failure, error: e, endpoint: att.target.id };
    if (this.live.length > 0 || this.pendingAcquires > 0) return; // a hedge is still running: it decides
    this.maybeRetry(failure, e);
  }

  private maybeRetry(failure: FailureClass, e: unknown): void {
    const { env, group } = this;
    const retry = group.settings.retry;
    const now = env.clock.now();
    const canRetry =
      isRetryable(failure) &&
      (this.idempotent || requestNotSent(e)) &&
      this.retries + 1 < retry.attempts &&
      this.deadline - now > MIN_ATTEMPT_MS;
    if (!canRetry) {
      this.settleIfIdle();
      return;
    }
    const delay = backoffDelay(this.retries + 1, retry.backoffMs, env.rng);
    if (now + delay + MIN_ATTEMPT_MS >= this.deadline) {
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
    this.retries++;
    this.retryToken = token;
    this.retryTimer = env.clock.setTimeout(this.onRetryTimer.bind(this), delay);
  }

  private onRetryTimer(): void {
    this.retryTimer = undefined;
    const token = this.retryToken as TokenLike;
    this.retryToken = undefined;
    if (this.done) {
      token.release();
      return;
    }
    this.launch('retry', [token]);
  }

  // ------------------------------------------------------------------------------------------------
  // Hedging

  private scheduleHedge(): void {
    const hedge = this.group.hedge;
    if (!hedge || this.group.endpoints.length < 2) return;
    const delay = hedge.delayMs();
    if (delay === undefined || this.t0 + delay + MIN_ATTEMPT_MS >= this.deadline) return;
    this.hedgeTimer = this.env.clock.setTimeout(this.onHedgeTimer.bind(this), delay);
  }

  private onHedgeTimer(): void {
    this.hedgeTimer = undefined;
    const { group } = this;
    if (this.done || this.live.length === 0 || this.hedged || !group.hedge) return;
    const hedgeToken = group.hedge.tryAcquire();
    if (hedgeToken === undefined) return;
    const retryToken = group.retryBudget.tryAcquireRetry();
    if (retryToken === undefined) {
      hedgeToken.release();
      return;
    }
    this.hedged = true;
    this.launch('hedge', [hedgeToken, retryToken]);
  }

  // ------------------------------------------------------------------------------------------------
  // Deadline and cancellation

  /** @internal The deadline passed (called by the pipeline's DeadlineTimer while the call is active). */
  expire(): void {
    if (this.done) return;
    const now = this.env.clock.now();
    const { group } = this;
    while (this.live.length > 0) {
      const att = this.live[0] as Attempt;
      const latency = now - att.t0;
      att.controller?.abort();
      this.endAttempt(att, 'timeout', latency, 'call deadline passed');
      att.permit.failure('timeout', latency);
      if (group.counted.has('timeout')) group.outlier.recordFailure(att.target.id);
    }
    const last = this.lastFailure;
    this.fail('timeout', undefined, {
      message: `deadline of ${this.deadline - this.t0} ms passed`,
      ...(last ? { cause: last.error } : {}),
    });
  }

  private onCallerAbort(): void {
    this.cancel('CALL_CANCELLED', 'cancelled by the caller');
  }

  // ------------------------------------------------------------------------------------------------
  // Endings

  /**
   * Ends an attempt for the call (events, metrics, tokens). Its bulkhead slot and in-flight count are freed
   * once the connection has settled the request too: at once for results and errors; for attempts ended
   * by the call (deadline, cancel, lost hedge) when the connection lets go — it enforces the same deadline
   * and honours the signal, so that is at most the deadline — keeping in-flight requests within the bulkhead.
   */
  private endAttempt(att: Attempt, outcome: Outcome, latencyMs: number, error: string | undefined): void {
    att.ended = true;
    removeItem(this.live, att);
    if (!att.sent) this.releaseSlot(att);
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

  private static fulfilled(att: Attempt, result: CallToolResult): void {
    att.sent = false;
    if (att.ended) att.exec.releaseSlot(att);
    else att.exec.onResult(att, result);
  }

  private static rejected(att: Attempt, e: unknown): void {
    att.sent = false;
    if (att.ended) att.exec.releaseSlot(att);
    else att.exec.onError(att, e);
  }

  private releaseSlot(att: Attempt): void {
    att.target.inFlight--;
    att.release();
  }

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
      attempts: this.attempts,
      ...(endpoint !== undefined ? { endpoint } : {}),
      ...info,
    });
    this.finish(outcome, endpoint, err.message);
    this.reject(err);
  }

  /** @param nowMs the clock's time if the caller just read it (saves a read) */
  private finish(
    outcome: Outcome,
    endpoint: string | undefined,
    error: string | undefined,
    nowMs?: number,
  ): void {
    this.done = true;
    const { env, group } = this;
    const clock = env.clock;
    if (this.retryTimer !== undefined) {
      clock.clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.retryToken?.release();
      this.retryToken = undefined;
    }
    if (this.hedgeTimer !== undefined) {
      clock.clearTimeout(this.hedgeTimer);
      this.hedgeTimer = undefined;
    }
    if (this.abortListener !== undefined) this.opts.signal?.removeEventListener('abort', this.abortListener);
    env.active.delete(this);
    const now = nowMs ?? clock.now();
    // Losers of a hedge race (and anything else still running) end before the call does.
    while (this.live.length > 0) {
      const att = this.live[0] as Attempt;
      this.endAttempt(att, 'cancelled', now - att.t0, 'another attempt finished the call');
      att.permit.ignore();
      att.controller?.abort();
    }
    if (this.pendingAcquires > 0) this.controller?.abort();
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
        attempts: this.attempts,
      };
      if (endpoint !== undefined) ev.endpoint = endpoint;
      if (error !== undefined) ev.error = error;
      env.events.emit(ev);
    }
  }
}

/** The call whose promise is being created (see captureSettlers). */
let capturing: CallExecution | undefined;

/** One shared promise executor (no closure per call): hands resolve/reject to `capturing`. */
function captureSettlers(resolve: (r: CallToolResult) => void, reject: (e: ChaosError) => void): void {
  const exec = capturing as CallExecution;
  capturing = undefined;
  exec.resolve = resolve;
  exec.reject = reject;
}

/** Removes `x` from `xs` in place, keeping the order (no array allocated, unlike splice). */
function removeItem<T>(xs: T[], x: T): void {
  const i = xs.indexOf(x);
  if (i < 0) return;
  for (let j = i + 1; j < xs.length; j++) xs[j - 1] = xs[j] as T;
  xs.pop();
}

function releaseAll(tokens: TokenLike[] | undefined): void {
  if (tokens !== undefined) for (const t of tokens) t.release();
}

const NO_KEY: { key?: string } = {};
const EMPTY_SET: ReadonlySet<CallTarget> = new Set();
const EMPTY_MAP: ReadonlyMap<CallTarget, 'CIRCUIT_OPEN' | 'HALF_OPEN_LIMIT'> = new Map();
