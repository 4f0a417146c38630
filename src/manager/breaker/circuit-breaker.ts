import type { Clock, TimerHandle } from '../../core/clock.js';
import { type Disposable, Emitter } from '../../core/events.js';
import type { BreakerSettings, BreakerState, FailureClass } from '../types.js';
import type { BreakerTransition } from './breaker-transition.js';
import { createTripPolicy } from './create-trip-policy.js';
import {
  BreakerPermit,
  type BreakerRejection,
  makeRejection,
  type PermitSink,
  SETTLE_FAILURE,
  SETTLE_IGNORE,
} from './permit.js';
import type { TripPolicy } from './trip-policy.js';

export interface CircuitBreakerDeps {
  /** Time source; the open wait is a timer on it, so open→half-open fires on time. */
  clock: Clock;
  /** Endpoint id, carried in events and errors. */
  endpoint: string;
  /** Replaces the policy built from `settings.trip` (custom policies, tests). */
  policy?: TripPolicy;
}

const FORCED_OPEN_REJECTION = makeRejection('CIRCUIT_OPEN', 'forced-open', undefined);
const HALF_OPEN_REJECTION = makeRejection('HALF_OPEN_LIMIT', 'half-open', undefined);

/**
 * A circuit breaker for one endpoint.
 *
 * - closed: admits everything; counted outcomes feed the trip policy, which may open it.
 * - open: rejects with CIRCUIT_OPEN until openFor has passed (a clock timer then moves it to half-open;
 *   `tryAcquire` also checks the time, in case a real timer runs late). openFor grows by
 *   `backoff.multiplier` per reopening without a full recovery, up to `backoff.maxMs`.
 * - half-open: admits at most `halfOpenTrials` trials at once and rejects the rest with HALF_OPEN_LIMIT.
 *   Any counted trial failure reopens it; once `halfOpenTrials` trials have succeeded it closes (and the
 *   backoff resets). Ignored / uncounted trial results free their slot and count neither way.
 * - disabled admits everything and records nothing; forced-open rejects everything (CIRCUIT_OPEN).
 *   Both are left only through {@link reset}.
 *
 * Every state change bumps a generation counter; results of permits from an earlier generation are
 * dropped. Each change emits exactly one {@link BreakerTransition}.
 */
export class CircuitBreaker implements PermitSink, Disposable {
  readonly endpoint: string;
  private readonly clock: Clock;
  private readonly policy: TripPolicy;
  private readonly counted: ReadonlySet<FailureClass>;
  private readonly trials: number;
  private readonly emitter = new Emitter<BreakerTransition>();
  private current: BreakerState;
  private generation = 0;
  private trialsInFlight = 0;
  private trialSuccesses = 0;
  private openings = 0;
  private openUntil = 0;
  private openRejection: BreakerRejection = makeRejection('CIRCUIT_OPEN', 'open', 0);
  private timer: TimerHandle | undefined;
  private disposed = false;
  private readonly onOpenElapsed = () => {
    this.timer = undefined;
    if (this.current === 'open')
      this.transition('half-open', `open wait ${this.openUntil - this.openedAt} ms elapsed`);
  };
  private openedAt = 0;

  /** Subscribe to state changes. */
  readonly onStateChange = this.emitter.event;

  constructor(
    private readonly settings: BreakerSettings,
    deps: CircuitBreakerDeps,
  ) {
    if (!(settings.openForMs > 0))
      throw new RangeError(`breaker openForMs must be > 0, got ${settings.openForMs}`);
    if (!Number.isInteger(settings.halfOpenTrials) || settings.halfOpenTrials < 1) {
      throw new RangeError(`breaker halfOpenTrials must be an integer >= 1, got ${settings.halfOpenTrials}`);
    }
    if (settings.backoff && !(settings.backoff.multiplier >= 1)) {
      throw new RangeError(`breaker backoff.multiplier must be >= 1, got ${settings.backoff.multiplier}`);
    }
    this.endpoint = deps.endpoint;
    this.clock = deps.clock;
    this.policy = deps.policy ?? createTripPolicy(settings.trip, deps.clock);
    this.counted = new Set(settings.countedFailures);
    this.trials = settings.halfOpenTrials;
    this.current =
      settings.mode === 'disabled' ? 'disabled' : settings.mode === 'forced-open' ? 'forced-open' : 'closed';
  }

  get state(): BreakerState {
    return this.current;
  }

  /** Half-open trials currently in flight. */
  get trialsActive(): number {
    return this.current === 'half-open' ? this.trialsInFlight : 0;
  }

  /** When open: the clock time it turns half-open; otherwise undefined. */
  get openUntilT(): number | undefined {
    return this.current === 'open' ? this.openUntil : undefined;
  }

  /** Whether {@link tryAcquire} would admit a call now (closed, disabled, or half-open with a free slot). */
  get admits(): boolean {
    switch (this.current) {
      case 'closed':
      case 'disabled':
        return true;
      case 'half-open':
        return this.trialsInFlight + this.trialSuccesses < this.trials;
      case 'open':
        return this.clock.now() >= this.openUntil;
      default:
        return false;
    }
  }

  /** Asks to make one call: a permit (report its result) or an immutable, shared rejection. */
  tryAcquire(): BreakerPermit | BreakerRejection {
    switch (this.current) {
      case 'closed':
      case 'disabled':
        return new BreakerPermit(this, this.generation, false);
      case 'open':
        if (this.clock.now() < this.openUntil) return this.openRejection;
        this.transition('half-open', `open wait ${this.openUntil - this.openedAt} ms elapsed`);
        return this.tryAcquire();
      case 'half-open':
        if (this.trialsInFlight + this.trialSuccesses >= this.trials) return HALF_OPEN_REJECTION;
        this.trialsInFlight++;
        return new BreakerPermit(this, this.generation, true);
      default:
        return FORCED_OPEN_REJECTION;
    }
  }

  /** @internal Called by permits. */
  settle(
    permit: BreakerPermit,
    outcome: 0 | 1 | 2,
    latencyMs: number,
    failure: FailureClass | undefined,
  ): void {
    if (permit.generation !== this.generation) return;
    const ignored =
      outcome === SETTLE_IGNORE || (outcome === SETTLE_FAILURE && !this.counted.has(failure as FailureClass));
    if (this.current === 'closed') {
      if (ignored) return;
      const reason = this.policy.record(outcome === SETTLE_FAILURE, latencyMs);
      if (reason !== undefined) this.transition('open', reason);
    } else if (this.current === 'half-open') {
      this.trialsInFlight--;
      if (ignored) return;
      if (outcome === SETTLE_FAILURE) {
        this.transition('open', `half-open trial failed (${failure})`);
      } else if (++this.trialSuccesses >= this.trials) {
        this.transition('closed', `${this.trials}/${this.trials} half-open trials succeeded`);
      }
    }
  }

  /** Rejects everything until {@link reset}. */
  forceOpen(reason = 'forced open'): void {
    this.transition('forced-open', reason);
  }

  /** Admits everything and records nothing until {@link reset}. */
  disable(reason = 'disabled'): void {
    this.transition('disabled', reason);
  }

  /** Back to closed with empty statistics and no backoff, from any state. */
  reset(reason = 'reset'): void {
    this.openings = 0;
    if (this.current === 'closed') this.policy.reset();
    else this.transition('closed', reason);
  }

  /**
   * Clears the open timer and the listeners. The breaker still answers tryAcquire afterwards, and late
   * results still move it, but it sets no timer again (an endpoint that left the fleet keeps none).
   */
  dispose(): void {
    this.disposed = true;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.emitter.clear();
  }

  private transition(to: BreakerState, reason: string): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    this.generation++;
    this.trialsInFlight = 0;
    this.trialSuccesses = 0;
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    const t = this.clock.now();
    if (to === 'open') {
      this.openings++;
      this.openedAt = t;
      this.openUntil = t + this.openForMs();
      this.openRejection = makeRejection('CIRCUIT_OPEN', 'open', this.openUntil);
      if (!this.disposed) this.timer = this.clock.setTimeout(this.onOpenElapsed, this.openUntil - t);
    } else if (to === 'closed') {
      if (from === 'half-open') this.openings = 0;
      this.policy.reset();
    }
    if (this.emitter.hasListeners) this.emitter.emit({ endpoint: this.endpoint, from, to, reason, t });
  }

  /** openForMs × multiplier^(openings − 1), capped at backoff.maxMs. */
  private openForMs(): number {
    const { openForMs, backoff } = this.settings;
    if (!backoff || this.openings <= 1) return openForMs;
    return Math.min(backoff.maxMs, openForMs * backoff.multiplier ** (this.openings - 1));
  }
}
