import { AlignedState } from './aligned-state.js';
import type { Balancer, EndpointView } from './balancer.js';
import { RoundRobinBalancer } from './round-robin.js';

/**
 * Smooth weighted round-robin (nginx): each pick adds every eligible endpoint's weight to its running
 * score, takes the highest score and subtracts the total weight from it. Over any run of Σweights picks
 * with a stable eligible set, each endpoint is picked exactly `weight` times, evenly spread. Endpoints
 * with weight ≤ 0 are never picked unless every eligible one has weight ≤ 0 (then: round-robin).
 * Ineligible endpoints keep their score until they return (scores are kept per endpoint id).
 */
export class WeightedBalancer implements Balancer {
  readonly kind = 'weighted' as const;
  private readonly state = new AlignedState(() => 0);
  private readonly fallback = new RoundRobinBalancer();

  pick<T extends EndpointView>(candidates: readonly T[]): T | undefined {
    this.state.align(candidates);
    const scores = this.state.values;
    let total = 0;
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]!;
      const w = c.weight;
      if (!c.eligible || !(w > 0)) continue;
      const score = scores[i]! + w;
      scores[i] = score;
      total += w;
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    if (best < 0) return this.fallback.pick(candidates);
    scores[best] = bestScore - total;
    return candidates[best];
  }
}
