/**
 * k6-like threshold expressions: `<metric>[{server=NAME}] <op> <value> [window]`.
 *
 *   availability >= 0.99 over 2s        p(99) < 250ms        avg < 50ms        max <= 1s
 *   error_rate < 1%                     calls >= 1000        p(95) < 100ms after recovery
 *
 * Parsed into a {@link Threshold}; latency values are in ms, rates are fractions in [0, 1].
 */
import { z } from 'zod';
import { type ParsedCheck, parseCheck } from '../checks/index.js';

export type ThresholdMetric = 'availability' | 'error_rate' | 'calls' | 'p' | 'avg' | 'max';
export type ThresholdOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/**
 * The window a threshold is measured over:
 * - `whole`: the whole load phase;
 * - `over`: every sliding window of `ms` must hold;
 * - `during-faults`: from the first fault's start to the last fault's end;
 * - `after-recovery`: from the last fault's end + breaker openFor to the end of load.
 */
export type ThresholdWindow =
  | { kind: 'whole' }
  | { kind: 'over'; ms: number }
  | { kind: 'during-faults' }
  | { kind: 'after-recovery' };

export interface Threshold {
  /** The expression as written. */
  source: string;
  metric: ThresholdMetric;
  /** For `p(N)`: N in (0, 100]. */
  percentile?: number;
  op: ThresholdOp;
  /** ms for latency metrics (p, avg, max); a fraction in [0,1] for availability/error_rate; a count for calls. */
  value: number;
  window: ThresholdWindow;
  /** Only calls of this server (`{server=NAME}` after the metric); absent = every server. */
  server?: string;
}

/**
 * Parses an expression; returns an error message instead when it is malformed. The grammar lives in
 * `chaos/checks/parse-check.ts` (one grammar for the validator and the evaluator).
 */
export function parseThreshold(source: string): Threshold | string {
  let parsed: ParsedCheck;
  try {
    parsed = parseCheck(source);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // parseCheck says `invalid check "<expr>": <why>`; the validator names the field, so keep the why.
    const why = message.replace(/^invalid check ".*?": /s, '');
    return `${why} in "${source.trim()}"`;
  }
  const { expression: _expression, ...rest } = parsed;
  return { source, ...rest };
}

/** Whether `actual op value` holds. */
export function compareThreshold(actual: number, t: Pick<Threshold, 'op' | 'value'>): boolean {
  switch (t.op) {
    case '<':
      return actual < t.value;
    case '<=':
      return actual <= t.value;
    case '>':
      return actual > t.value;
    case '>=':
      return actual >= t.value;
    case '==':
      return actual === t.value;
    case '!=':
      return actual !== t.value;
  }
}

export const ThresholdSchema = z
  .string({ error: 'expected a threshold expression such as "availability >= 0.99" or "p(99) < 250ms"' })
  .superRefine((v, ctx) => {
    const t = parseThreshold(v);
    if (typeof t === 'string') ctx.addIssue({ code: 'custom', message: t });
  })
  .meta({
    id: 'Threshold',
    description:
      'k6-like expression: <metric>[{server=NAME}] <op> <value> [over D | during faults | after recovery]. ' +
      'Metrics: availability, error_rate (fractions or N%), calls, p(N), avg, max (durations). ' +
      'Ops: < <= > >= == !=.',
  });
