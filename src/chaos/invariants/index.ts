/**
 * The invariant registry: every invariant by name, and one entry point that fills defaults and checks.
 * Each invariant is a pure function over a History (see invariant.ts); params come from YAML.
 */
import type { History } from '../history.js';
import { acknowledgedExecuted } from './acknowledged-executed.js';
import { atMostOnce } from './at-most-once.js';
import { breakerOpensWithin } from './breaker-opens-within.js';
import { breakerRecoversWithin } from './breaker-recovers-within.js';
import { breakerRejectsWhileOpen } from './breaker-rejects-while-open.js';
import { breakerTransitionsLegal } from './breaker-transitions-legal.js';
import { deployCompletesWithin } from './deploy-completes-within.js';
import { deployHaltsWithin } from './deploy-halts-within.js';
import { ejectionLimitRespected } from './ejection-limit-respected.js';
import { failoverWithin } from './failover-within.js';
import { halfOpenTrialLimit } from './half-open-trial-limit.js';
import { healthDetectsWithin } from './health-detects-within.js';
import { healthRecoversWithin } from './health-recovers-within.js';
import { healthTransitionsLegal } from './health-transitions-legal.js';
import type { Invariant, InvariantResult } from './invariant.js';
import { noFailedIdempotentCallsWhileHealthy } from './no-failed-idempotent-calls-while-healthy.js';
import { noLostCalls } from './no-lost-calls.js';
import { noTrafficToUnhealthy } from './no-traffic-to-unhealthy.js';
import { retryAfterHonoured } from './retry-after-honoured.js';
import { retryBudgetRespected } from './retry-budget-respected.js';
import { trafficLeavesWithin } from './traffic-leaves-within.js';

/** Every invariant, by name. */
export const INVARIANTS: Record<string, Invariant> = Object.freeze(
  Object.fromEntries(
    (
      [
        noLostCalls,
        breakerRejectsWhileOpen,
        halfOpenTrialLimit,
        breakerTransitionsLegal,
        breakerOpensWithin,
        breakerRecoversWithin,
        healthTransitionsLegal,
        healthDetectsWithin,
        healthRecoversWithin,
        noTrafficToUnhealthy,
        failoverWithin,
        noFailedIdempotentCallsWhileHealthy,
        retryAfterHonoured,
        retryBudgetRespected,
        ejectionLimitRespected,
        atMostOnce,
        acknowledgedExecuted,
        deployCompletesWithin,
        deployHaltsWithin,
        trafficLeavesWithin,
      ] as unknown as Invariant[]
    ).map((inv) => [inv.name, inv]),
  ),
);

/** Names of every invariant, in registry order. */
export const invariantNames: readonly string[] = Object.freeze(Object.keys(INVARIANTS));

/** The invariant called `name`; throws RangeError naming the known ones. */
export function getInvariant(name: string): Invariant {
  const inv = Object.hasOwn(INVARIANTS, name) ? INVARIANTS[name] : undefined;
  if (!inv) throw new RangeError(`unknown invariant "${name}" (known: ${invariantNames.join(', ')})`);
  return inv;
}

/**
 * Validates raw (YAML) params and fills defaults, without a history — for the scenario validator.
 * Throws RangeError on an unknown invariant, an unknown param or a bad value.
 */
export function resolveInvariantParams(name: string, rawParams: Record<string, unknown> | null | undefined) {
  return getInvariant(name).params(rawParams ?? {});
}

/** Fills defaults and checks one invariant over a history. Throws RangeError on bad name or params. */
export function checkInvariant(
  name: string,
  rawParams: Record<string, unknown> | null | undefined,
  history: History,
): InvariantResult {
  const inv = getInvariant(name);
  return inv.check(history, inv.params(rawParams ?? {}));
}

export { isLegalBreakerTransition } from './breaker-transitions-legal.js';
export { DEPLOY_CUT_BY_LOAD_END } from './deploy-steps.js';
export { isLegalHealthTransition } from './health-transitions-legal.js';
export type { Invariant, InvariantResult, ParamDoc, Violation } from './invariant.js';
export { renderInvariantDocs } from './invariant-docs.js';
export { type ProbeVerdict, parseFaultDetail, probeVerdict } from './probe-breaking.js';
export { maxViolations } from './violations.js';
