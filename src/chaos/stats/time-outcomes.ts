/**
 * Outcomes whose cause may be time alone: a deadline passed (`timeout`, `stream-idle`), or the manager's
 * state after timeouts refused the call (`circuit-open`, `no-endpoint`, `pool-exhausted`: a breaker opened,
 * endpoints were marked unhealthy, calls piled up). A starved harness can produce every one of them; it
 * cannot refuse a connection, break an answer or lose a call.
 */
import type { Outcome } from '../../manager/types.js';
import type { CallTable } from './call-table.js';

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

/**
 * Whether call `row` of a call table failed by time: a time outcome, or any failure that ended after the
 * call's deadline — its deadline timer should have ended it first, so whatever came instead (a reset
 * that arrived while the event loop was stalled, a retry that could no longer be sent) came late.
 */
export function failedByTime(
  table: Pick<CallTable, 'ok' | 'outcome' | 'endT' | 'deadlineT'>,
  row: number,
): boolean {
  if (table.ok[row] !== 0) return false;
  if (isTimeOutcome(table.outcome[row])) return true;
  const end = table.endT[row] as number;
  return Number.isFinite(end) && end > (table.deadlineT[row] as number);
}
