import type { Rng } from '../../core/rng.js';
import type { Balancer, BalancerDeps, EndpointView } from './balancer.js';

/**
 * Picks the eligible endpoint with the fewest calls in flight; ties are broken uniformly at random with
 * the injected rng (reservoir sampling over the tied endpoints, one draw per extra tie).
 */
export class LeastInFlightBalancer implements Balancer {
  readonly kind = 'least-in-flight' as const;
  private readonly rng: Rng;

  constructor(deps: BalancerDeps) {
    this.rng = deps.rng;
  }

  pick<T extends EndpointView>(candidates: readonly T[]): T | undefined {
    let best: T | undefined;
    let ties = 0;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]!;
      if (!c.eligible) continue;
      if (best === undefined || c.inFlight < best.inFlight) {
        best = c;
        ties = 1;
      } else if (c.inFlight === best.inFlight && this.rng.next() * ++ties < 1) {
        best = c;
      }
    }
    return best;
  }
}
