/**
 * Outcomes whose cause may be time alone: a deadline passed (`timeout`, `stream-idle`), or the manager's
 * state after timeouts refused the call (`circuit-open`, `no-endpoint`, `pool-exhausted`: a breaker opened,
 * endpoints were marked unhealthy, calls piled up). A starved harness can produce every one of them; it
 * cannot refuse a connection, break an answer or lose a call.
 */
import type { Outcome } from '../../manager/types.js';

export const TIME_OUTCOMES: ReadonlySet<string> = new Set<Outcome>([
  'timeout',
  'stream-idle',
  'circuit-open',
  'no-endpoint',
  'pool-exhausted',
]);

export function isTimeOutcome(outcome: string | undefined): boolean {
  return outcome !== undefined && TIME_OUTCOMES.has(outcome);
}
