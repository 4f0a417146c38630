import type { BalancerKind } from '../types.js';
import type { Balancer, BalancerDeps } from './balancer.js';
import { LeastInFlightBalancer } from './least-in-flight.js';
import { P2cBalancer } from './p2c.js';
import { RoundRobinBalancer } from './round-robin.js';
import { StickyBalancer } from './sticky.js';
import { WeightedBalancer } from './weighted.js';

/** A fresh balancer of `kind` (each keeps its own rotation/score state: use one per server). */
export function createBalancer(kind: BalancerKind, deps: BalancerDeps): Balancer {
  switch (kind) {
    case 'round-robin':
      return new RoundRobinBalancer();
    case 'least-in-flight':
      return new LeastInFlightBalancer(deps);
    case 'p2c':
      return new P2cBalancer(deps);
    case 'weighted':
      return new WeightedBalancer();
    case 'sticky':
      return new StickyBalancer();
    default:
      throw new RangeError(`unknown balancer kind "${kind as string}"`);
  }
}
