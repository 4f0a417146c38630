/**
 * A call's retry schedule: whether a failed attempt may be retried (retryable class and idempotent — or the
 * request provably never left; attempts left; time left), the jittered backoff before it, and the retry
 * budget's token it holds while it waits.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { Rng } from '../../core/rng.js';
import { backoffDelay } from '../retry/index.js';
import type { FailureClass, RetrySettings } from '../types.js';
import { isRetryable, requestNotSent } from './call-errors.js';
import type { TokenLike } from './call-target.js';
import { MIN_ATTEMPT_MS } from './hedge-timer.js';

export class RetryTimer {
  /** Retries scheduled so far. */
  private retries = 0;
  private timer: TimerHandle | undefined;
  private token: TokenLike | undefined;

  constructor(private readonly clock: Clock) {}

  /** A retry is waiting for its backoff. */
  get waiting(): boolean {
    return this.timer !== undefined;
  }

  /** The backoff before the next retry, or undefined when this failure may not be retried in time. */
  delayFor(
    failure: FailureClass,
    error: unknown,
    idempotent: boolean,
    settings: RetrySettings,
    rng: Rng,
    now: number,
    deadline: number,
  ): number | undefined {
    // A request that never reached a server (its connect failed — refused, or an era that could not be
    // negotiated) may go to another endpoint whatever its class: nothing was executed, the endpoint is at fault.
    const notSent = requestNotSent(error);
    const allowed =
      (isRetryable(failure) || notSent) &&
      (idempotent || settings.nonIdempotent || notSent) &&
      this.retries + 1 < settings.attempts &&
      deadline - now > MIN_ATTEMPT_MS;
    if (!allowed) return undefined;
    const delay = backoffDelay(this.retries + 1, settings.backoffMs, rng);
    return now + delay + MIN_ATTEMPT_MS >= deadline ? undefined : delay;
  }

  /** Waits `delayMs` holding `token`, then calls `fire` with it (the token is the caller's from then on). */
  schedule(delayMs: number, token: TokenLike, fire: (token: TokenLike) => void): void {
    this.retries++;
    this.token = token;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      const held = this.token as TokenLike;
      this.token = undefined;
      fire(held);
    }, delayMs);
  }

  /** Cancels a waiting retry and gives its token back. */
  clear(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.token?.release();
    this.token = undefined;
  }
}
