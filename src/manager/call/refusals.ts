/**
 * The endpoints that refused a call before it was sent (bulkhead full or timed out, breaker open or at its
 * half-open limit), and how a call that reached no server ends because of them.
 */
import type { CallTarget } from './call-target.js';
import { NO_TARGET_ENDINGS, noTargetReason } from './select-target.js';

export class Refusals {
  private readonly pool = new Set<CallTarget>();
  private readonly breaker = new Map<CallTarget, 'CIRCUIT_OPEN' | 'HALF_OPEN_LIMIT'>();

  byPool(target: CallTarget): void {
    this.pool.add(target);
  }

  byBreaker(target: CallTarget, code: 'CIRCUIT_OPEN' | 'HALF_OPEN_LIMIT'): void {
    this.breaker.set(target, code);
  }

  /** How the call ends (see noTargetReason). `refusals` may be undefined: nothing refused. */
  static ending(endpoints: readonly CallTarget[], refusals: Refusals | undefined) {
    const r = refusals ?? NONE;
    return NO_TARGET_ENDINGS[noTargetReason(endpoints, r.pool, r.breaker)];
  }
}

const NONE = new Refusals();
