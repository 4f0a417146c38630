import type { Clock } from '../../core/clock.js';
import { TimeWindow } from '../breaker/index.js';
import type { RetrySettings } from '../types.js';

/** Held while a retry runs; release it when the retry attempt ends (idempotent). */
export interface RetryToken {
  release(): void;
}

export interface RetryBudgetDeps {
  clock: Clock;
}

/** Length of the request-rate window. */
export const RETRY_BUDGET_WINDOW_MS = 1000;

class Token implements RetryToken {
  private released = false;
  constructor(private readonly budget: RetryBudget) {}
  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.releaseOne();
  }
}

/**
 * Envoy-style retry budget for one server. Exactly:
 *
 *   a retry is allowed ⇔ active < max(minPerSecond, ratio × recent)
 *
 * where `active` = retry tokens acquired and not yet released, and `recent` = calls noted with
 * {@link noteRequest} in the last second, counted in 100 ms buckets (the current, partly elapsed bucket
 * and the nine before it: between 900 and 1000 ms of history). No rounding: with ratio 0.2 and 12 recent
 * calls the limit is 2.4, so a third concurrent retry is allowed. Note each call once (its first
 * attempt), not each retry, so retries cannot inflate their own budget.
 */
export class RetryBudget {
  private readonly window: TimeWindow;
  private activeRetries = 0;
  private readonly ratio: number;
  private readonly minPerSecond: number;

  constructor(settings: RetrySettings['budget'], deps: RetryBudgetDeps) {
    if (!(settings.ratio >= 0))
      throw new RangeError(`retry budget ratio must be >= 0, got ${settings.ratio}`);
    if (!(settings.minPerSecond >= 0)) {
      throw new RangeError(`retry budget minPerSecond must be >= 0, got ${settings.minPerSecond}`);
    }
    this.ratio = settings.ratio;
    this.minPerSecond = settings.minPerSecond;
    this.window = new TimeWindow(RETRY_BUDGET_WINDOW_MS, deps.clock);
  }

  /** Notes one call (first attempt). */
  noteRequest(): void {
    this.window.add(false, false);
  }

  /** A token if a retry may start now, else undefined (the caller reports `budget-exhausted`). */
  tryAcquireRetry(): RetryToken | undefined {
    if (this.activeRetries >= this.limit) return undefined;
    this.activeRetries++;
    return new Token(this);
  }

  /** Retries holding a token now. */
  get active(): number {
    return this.activeRetries;
  }

  /** Calls noted in the window now. */
  get recentRequests(): number {
    this.window.refresh();
    return this.window.calls;
  }

  /** max(minPerSecond, ratio × recentRequests): active retries must stay below it. */
  get limit(): number {
    return Math.max(this.minPerSecond, this.ratio * this.recentRequests);
  }

  /** @internal */
  releaseOne(): void {
    this.activeRetries--;
  }
}
