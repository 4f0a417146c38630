export type { Balancer, BalancerDeps, EndpointView, PickContext } from './balancer.js';
export { createBalancer } from './create-balancer.js';
export { EwmaLatency } from './ewma-latency.js';
export { LeastInFlightBalancer } from './least-in-flight.js';
export { P2cBalancer, p2cCost } from './p2c.js';
export { RoundRobinBalancer } from './round-robin.js';
export { type EligibilityTier, type EndpointStatus, selectEligible } from './select-eligible.js';
export { rendezvousScore, StickyBalancer } from './sticky.js';
export { WeightedBalancer } from './weighted.js';
