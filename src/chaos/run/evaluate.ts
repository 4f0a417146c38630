/**
 * Judging a run: the steady-state checks over their windows (before: the window before load; after: the
 * window after rollback and settling), every invariant over the whole history, and every threshold over
 * the load phase (or the window it names).
 */
import { errorMessage } from '../../core/errors.js';
import { evaluateCheck } from '../checks/index.js';
import type { History } from '../history.js';
import { checkInvariant } from '../invariants/index.js';
import type { InvariantResult } from '../invariants/invariant.js';
import type { CheckResult } from '../journal.js';
import type { Plan } from '../scenario/index.js';

export interface Evaluation {
  steadyState: { before: CheckResult[]; after: CheckResult[] };
  invariants: InvariantResult[];
  thresholds: CheckResult[];
  /** Checks that could not be evaluated at all (a bug or bad params): these make the run an error. */
  errors: string[];
}

/** Steady-state windows in ms since load start, when they ran. */
export interface SteadyWindows {
  before: [number, number] | undefined;
  after: [number, number] | undefined;
}

export function evaluateRun(plan: Plan, history: History, windows: SteadyWindows): Evaluation {
  const errors: string[] = [];
  const openForMs = plan.recoveryOpenForMs;
  const steady = (w: [number, number] | undefined, label: string): CheckResult[] => {
    if (!w) return [];
    return plan.steadyState.map((t) => {
      try {
        return evaluateCheck(t, history, { openForMs, fromT: w[0], toT: w[1] });
      } catch (e) {
        errors.push(`steady state ${label} "${t.source}": ${errorMessage(e)}`);
        return { expression: t.source, held: false, actual: `not evaluated: ${errorMessage(e)}` };
      }
    });
  };
  const invariants = plan.invariants.map((inv): InvariantResult => {
    try {
      return checkInvariant(inv.name, inv.params, history);
    } catch (e) {
      errors.push(`invariant ${inv.name}: ${errorMessage(e)}`);
      return {
        name: inv.name,
        held: false,
        params: inv.params,
        violations: [],
        violationCount: 0,
        summary: `not evaluated: ${errorMessage(e)}`,
      };
    }
  });
  const thresholds = plan.thresholds.map((t): CheckResult => {
    try {
      return evaluateCheck(t, history, { openForMs });
    } catch (e) {
      errors.push(`threshold "${t.source}": ${errorMessage(e)}`);
      return { expression: t.source, held: false, actual: `not evaluated: ${errorMessage(e)}` };
    }
  });
  return {
    steadyState: { before: steady(windows.before, 'before'), after: steady(windows.after, 'after') },
    invariants,
    thresholds,
    errors,
  };
}

/** Whether every check held. */
export function allHeld(e: Evaluation): boolean {
  return (
    e.steadyState.before.every((c) => c.held) &&
    e.steadyState.after.every((c) => c.held) &&
    e.invariants.every((i) => i.held) &&
    e.thresholds.every((c) => c.held)
  );
}

/** Whether every check that did not hold is inconclusive (and at least one did not hold). */
export function onlyInconclusive(e: Evaluation): boolean {
  const failed = [...e.steadyState.before, ...e.steadyState.after, ...e.invariants, ...e.thresholds].filter(
    (c) => !c.held,
  );
  return failed.length > 0 && failed.every((c) => c.inconclusive !== undefined);
}
