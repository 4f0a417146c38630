import type { Rng } from '../../core/rng.js';
import type { BalancerKind } from '../types.js';

/**
 * What a balancer sees of one endpoint. The composer keeps one mutable view per endpoint and updates it
 * in place (no allocation per call); {@link selectEligible} sets `eligible`.
 */
export interface EndpointView {
  readonly id: string;
  /** Calls in flight on it now. */
  inFlight: number;
  /** Smoothed latency in ms (0 = no data yet), see EwmaLatency. */
  ewmaLatencyMs: number;
  /** Relative weight for the weighted balancer (> 0; default 1). */
  weight: number;
  /** May be picked now. Balancers never return a view whose `eligible` is false. */
  eligible: boolean;
}

export interface PickContext {
  /** Affinity key (sticky balancer). */
  key?: string | undefined;
}

/**
 * Chooses one endpoint among `candidates`. Contract: returns an element of `candidates` with
 * `eligible === true`, or undefined exactly when none is eligible. Candidates should be passed in a
 * stable order (the same array each call) so rotation-based balancers stay fair.
 */
export interface Balancer {
  readonly kind: BalancerKind;
  pick<T extends EndpointView>(candidates: readonly T[], ctx?: PickContext): T | undefined;
}

export interface BalancerDeps {
  /** For randomised choices (p2c). */
  rng: Rng;
}
