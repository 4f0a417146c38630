/**
 * Candidate selection: eligible endpoints (breaker admits — closed, disabled, open past its wait, or
 * half-open with a free trial slot — health not `unhealthy`, not ejected), minus those `excluded` for
 * this launch, preferring endpoints this call has not tried yet; the balancer picks among them. All
 * eligible endpoints are equal (healthy and unknown health alike, half-open ones included, so a tripped
 * endpoint gets its trial even while others are healthy).
 */
import type { CallTarget } from './call-target.js';

/** Whether an endpoint may take traffic now (ignoring per-call exclusions). */
export function isEligible(t: CallTarget): boolean {
  return (
    !t.ejected &&
    t.health !== 'unhealthy' &&
    t.breaker.admits &&
    t.backpressure?.active !== true &&
    t.fleet?.serving !== false
  );
}

/**
 * Panic mode (Envoy's panic threshold, at 0 %): when no endpoint of a server is eligible, active health
 * is ignored — an endpoint whose breaker admits and that is not ejected may be tried even if its probes
 * fail. Probes can be wrong (a server that never answers ping, probes queued behind saturating traffic);
 * the breaker still guards against an endpoint that really fails. A server's own request to wait
 * (Retry-After, honoured) is respected even then.
 */
export function isEligibleInPanic(t: CallTarget): boolean {
  return !t.ejected && t.breaker.admits && t.backpressure?.active !== true && t.fleet?.serving !== false;
}

/**
 * Marks `eligible` in place on `endpoints` for the next pick and returns how many are: untried eligible
 * endpoints if any; otherwise (when `allowTried`) eligible endpoints this call already tried. Never marks
 * `excluded` ones. With `panic`, eligibility ignores active health ({@link isEligibleInPanic}). The
 * balancer then picks over the same, stable array.
 */
export function markCandidates(
  endpoints: readonly CallTarget[],
  tried: readonly CallTarget[] | undefined,
  excluded: readonly CallTarget[] | undefined,
  allowTried: boolean,
  panic = false,
): number {
  const eligible = panic ? isEligibleInPanic : isEligible;
  let fresh = 0;
  let again = 0;
  for (let i = 0; i < endpoints.length; i++) {
    const t = endpoints[i] as CallTarget;
    const ok = (excluded === undefined || !excluded.includes(t)) && eligible(t);
    const isFresh = ok && (tried === undefined || !tried.includes(t));
    t.eligible = isFresh;
    if (isFresh) fresh++;
    else if (ok && allowTried) again++;
  }
  if (fresh > 1) fresh = slowStart(endpoints, fresh);
  if (fresh > 0 || again === 0) return fresh;
  for (let i = 0; i < endpoints.length; i++) {
    const t = endpoints[i] as CallTarget;
    t.eligible = (excluded === undefined || !excluded.includes(t)) && eligible(t);
  }
  return again;
}

/**
 * Slow start: a marked endpoint still ramping up keeps this pick only when its share allows; the last
 * candidate is never taken away (a pick with nowhere to go would fail the call).
 */
function slowStart(endpoints: readonly CallTarget[], marked: number): number {
  for (let i = 0; i < endpoints.length && marked > 1; i++) {
    const t = endpoints[i] as CallTarget;
    if (t.eligible && t.fleet !== undefined && !t.fleet.takesPick()) {
      t.eligible = false;
      marked--;
    }
  }
  return marked;
}

/** Why no endpoint could take a call that never reached a server. */
export type NoTargetReason = 'circuit-open' | 'half-open-limit' | 'pool-exhausted' | 'no-endpoint';

/**
 * Judges why nothing was available (panic mode included): every endpoint refused by its breaker →
 * circuit-open (half-open-limit
 * when every one of them was half-open at its trial limit); else any refused by its bulkhead →
 * pool-exhausted; else no-endpoint (unhealthy or ejected).
 */
export function noTargetReason(
  endpoints: readonly CallTarget[],
  poolRejected: ReadonlySet<CallTarget>,
  breakerRejected: ReadonlyMap<CallTarget, 'CIRCUIT_OPEN' | 'HALF_OPEN_LIMIT'>,
): NoTargetReason {
  let byBreaker = 0;
  let halfOpenOnly = true;
  for (const t of endpoints) {
    const rejected = breakerRejected.get(t);
    if (rejected !== undefined) {
      byBreaker++;
      if (rejected !== 'HALF_OPEN_LIMIT') halfOpenOnly = false;
    } else if (!poolRejected.has(t) && !t.breaker.admits) {
      byBreaker++;
      if (t.breaker.state !== 'half-open') halfOpenOnly = false;
    }
  }
  if (endpoints.length > 0 && byBreaker === endpoints.length)
    return halfOpenOnly ? 'half-open-limit' : 'circuit-open';
  if (poolRejected.size > 0) return 'pool-exhausted';
  return 'no-endpoint';
}

/** How a call that reached no server ends, for each reason. */
export const NO_TARGET_ENDINGS: Readonly<
  Record<
    NoTargetReason,
    { outcome: 'circuit-open' | 'pool-exhausted' | 'no-endpoint'; code?: 'HALF_OPEN_LIMIT'; message: string }
  >
> = {
  'half-open-limit': {
    outcome: 'circuit-open',
    code: 'HALF_OPEN_LIMIT',
    message: 'every endpoint is half-open at its trial limit',
  },
  'circuit-open': { outcome: 'circuit-open', message: 'every endpoint has an open circuit' },
  'pool-exhausted': {
    outcome: 'pool-exhausted',
    message: 'every eligible endpoint is at its in-flight and queue limit',
  },
  'no-endpoint': {
    outcome: 'no-endpoint',
    message: 'no endpoint is eligible (unhealthy, ejected, open, or asked us to wait)',
  },
};
