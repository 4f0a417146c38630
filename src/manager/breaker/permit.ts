import { ChaosError } from '../../core/errors.js';
import type { BreakerState, FailureClass } from '../types.js';

/** Internal: what a permit reports its result to. */
export interface PermitSink {
  settle(
    permit: BreakerPermit,
    outcome: 0 | 1 | 2,
    latencyMs: number,
    failure: FailureClass | undefined,
  ): void;
}

/** Outcome codes passed to {@link PermitSink.settle}. */
export const SETTLE_SUCCESS = 0;
export const SETTLE_FAILURE = 1;
export const SETTLE_IGNORE = 2;

/**
 * Admission to make one call. Report exactly one result; later calls on the same permit are no-ops.
 * A result reported after the breaker changed state (a "late" permit from an earlier generation) is
 * dropped and changes nothing.
 */
export class BreakerPermit {
  readonly ok = true as const;
  private done = false;

  constructor(
    private readonly sink: PermitSink,
    /** The breaker generation that issued it (bumped on every state change). */
    readonly generation: number,
    /** Admitted as a half-open trial. */
    readonly trial: boolean,
  ) {}

  /** Whether a result was already reported. */
  get settled(): boolean {
    return this.done;
  }

  /** The call succeeded after `latencyMs`. */
  success(latencyMs: number): void {
    if (this.done) return;
    this.done = true;
    this.sink.settle(this, SETTLE_SUCCESS, latencyMs, undefined);
  }

  /**
   * The call failed with `failure` after `latencyMs`. A class outside the breaker's `countedFailures`
   * behaves exactly like {@link ignore}.
   */
  failure(failure: FailureClass, latencyMs: number): void {
    if (this.done) return;
    this.done = true;
    this.sink.settle(this, SETTLE_FAILURE, latencyMs, failure);
  }

  /** The call counts neither way (cancelled, uncounted); a half-open trial slot is freed. */
  ignore(): void {
    if (this.done) return;
    this.done = true;
    this.sink.settle(this, SETTLE_IGNORE, 0, undefined);
  }
}

/** Refusal to admit a call. Immutable and shared: do not attach data to it. */
export interface BreakerRejection {
  readonly ok: false;
  /** CIRCUIT_OPEN (open or forced-open) or HALF_OPEN_LIMIT (half-open with every trial slot taken). */
  readonly code: 'CIRCUIT_OPEN' | 'HALF_OPEN_LIMIT';
  /** The state that refused. */
  readonly state: BreakerState;
  /** When open: clock time at which the breaker turns half-open. */
  readonly retryAtT: number | undefined;
}

export function makeRejection(
  code: BreakerRejection['code'],
  state: BreakerState,
  retryAtT: number | undefined,
): BreakerRejection {
  return Object.freeze({ ok: false as const, code, state, retryAtT });
}

/** The ChaosError a caller throws for a rejection. */
export function rejectionError(rejection: BreakerRejection, endpoint: string): ChaosError {
  const what =
    rejection.code === 'HALF_OPEN_LIMIT'
      ? 'half-open with every trial slot taken'
      : `${rejection.state} circuit`;
  return new ChaosError(rejection.code, `${endpoint}: ${what}`, {
    details: { endpoint, state: rejection.state, retryAtT: rejection.retryAtT },
  });
}
