import type { Rng } from '../../core/rng.js';
import type { Balancer, BalancerDeps, EndpointView } from './balancer.js';

/** Load score used by p2c: (ewmaLatencyMs + 1) × (inFlight + 1). Lower is better. */
export function p2cCost(e: EndpointView): number {
  return (e.ewmaLatencyMs + 1) * (e.inFlight + 1);
}

/**
 * Power of two choices (Finagle / Linkerd style): draws two distinct eligible endpoints uniformly with the
 * injected rng and keeps the one with the lower {@link p2cCost} (latency penalised by load; +1 ms keeps
 * endpoints without latency data comparable). One eligible endpoint is returned as is.
 */
export class P2cBalancer implements Balancer {
  readonly kind = 'p2c' as const;
  private readonly rng: Rng;

  constructor(deps: BalancerDeps) {
    this.rng = deps.rng;
  }

  pick<T extends EndpointView>(candidates: readonly T[]): T | undefined {
    const n = candidates.length;
    let m = 0;
    let only: T | undefined;
    for (let i = 0; i < n; i++) {
      const c = candidates[i]!;
      if (c.eligible) {
        m++;
        only = c;
      }
    }
    if (m <= 1) return only;
    const i = this.rng.int(0, m - 1);
    let j = this.rng.int(0, m - 2);
    if (j >= i) j++;
    const a = m === n ? candidates[i]! : nthEligible(candidates, i);
    const b = m === n ? candidates[j]! : nthEligible(candidates, j);
    return p2cCost(b) < p2cCost(a) ? b : a;
  }
}

function nthEligible<T extends EndpointView>(candidates: readonly T[], k: number): T {
  for (const c of candidates) if (c.eligible && k-- === 0) return c;
  throw new RangeError(`no eligible endpoint #${k}`);
}
