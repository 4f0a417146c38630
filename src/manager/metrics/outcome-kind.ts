import type { Outcome, RejectionClass } from '../types.js';

const REJECTIONS: ReadonlySet<Outcome> = new Set<RejectionClass>([
  'circuit-open',
  'pool-exhausted',
  'no-endpoint',
  'cancelled',
  'budget-exhausted',
]);

/** Whether an outcome is a refusal without reaching a server (a {@link RejectionClass}). */
export function isRejection(outcome: Outcome): outcome is RejectionClass {
  return REJECTIONS.has(outcome);
}
