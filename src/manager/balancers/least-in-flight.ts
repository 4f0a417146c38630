import type { Rng } from '../../core/rng.js';
import type { Balancer, BalancerDeps, EndpointView } from './balancer.js';

/**
 * Picks the eligible endpoint with the fewest calls in flight; ties are broken uniformly at random with
 * the injected rng (one draw per pick, only when there is a tie).
 */
export class LeastInFlightBalancer implements Balancer {
  readonly kind = 'least-in-flight' as const;
  private readonly rng: Rng;

  constructor(deps: BalancerDeps) {
    this.rng = deps.rng;
  }

  pick<T extends EndpointView>(candidates: readonly T[]): T | undefined {
    let min = Number.POSITIVE_INFINITY;
    let ties = 0;
    let first = -1;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]!;
      if (!c.eligible) continue;
      if (c.inFlight < min) {
        min = c.inFlight;
        ties = 1;
        first = i;
      } else if (c.inFlight === min) ties++;
    }
    if (ties <= 1) return first < 0 ? undefined : candidates[first];
    let k = Math.floor(this.rng.next() * ties);
    for (let i = first; i < candidates.length; i++) {
      const c = candidates[i]!;
      if (c.eligible && c.inFlight === min && k-- === 0) return c;
    }
    return candidates[first];
  }
}
