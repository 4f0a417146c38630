import type { BreakerState, HealthState } from '../types.js';
import type { EndpointView } from './balancer.js';

/** An endpoint view plus what decides whether it may be picked. */
export interface EndpointStatus extends EndpointView {
  breaker: BreakerState;
  /** The breaker's `admits` now: closed/disabled, half-open with a free trial slot, or open with its wait over. */
  breakerAdmits: boolean;
  health: HealthState;
  ejected: boolean;
}

/** Which tier {@link selectEligible} chose. */
export type EligibilityTier = 'healthy' | 'trial' | 'unknown-health' | 'none';

function tierOf(e: EndpointStatus): number {
  if (e.ejected || e.health === 'unhealthy' || !e.breakerAdmits) return 0;
  if (e.breaker === 'half-open' || e.breaker === 'open') return 2; // open with its wait over = half-open next
  return e.health === 'healthy' ? 1 : 3;
}

/**
 * Marks `eligible` on every endpoint (in place, no allocation) so that only the best tier present may be
 * picked, and returns that tier:
 *
 * 1. `healthy` — health healthy and breaker closed (or disabled);
 * 2. `trial` — breaker half-open with a free trial slot (health not unhealthy);
 * 3. `unknown-health` — breaker closed/disabled, health not yet known (no probe yet, or probes off).
 *
 * Never eligible: ejected, unhealthy, breaker open (wait not over), forced-open, or half-open with every
 * trial slot taken. When nothing qualifies every view is marked ineligible and `none` is returned: there is
 * no "panic mode" that would route to bad endpoints.
 */
export function selectEligible(endpoints: readonly EndpointStatus[]): EligibilityTier {
  let best = 0;
  for (let i = 0; i < endpoints.length; i++) {
    const t = tierOf(endpoints[i]!);
    if (t !== 0 && (best === 0 || t < best)) best = t;
  }
  for (let i = 0; i < endpoints.length; i++) {
    const e = endpoints[i]!;
    e.eligible = best !== 0 && tierOf(e) === best;
  }
  return best === 1 ? 'healthy' : best === 2 ? 'trial' : best === 3 ? 'unknown-health' : 'none';
}
