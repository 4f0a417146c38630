/**
 * k6-like threshold expressions: `<metric>[{server=NAME}] <op> <value> [window]`.
 *
 *   availability >= 0.99 over 2s        p(99) < 250ms        avg < 50ms        max <= 1s
 *   error_rate < 1%                     calls >= 1000        p(95) < 100ms after recovery
 *
 * Parsed into a {@link Threshold}; latency values are in ms, rates are fractions in [0, 1].
 */
import { z } from 'zod';
import { parseDuration } from '../../core/duration.js';
import { DURATION_PATTERN, durationProblem } from './scalars.js';

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

const METRIC = /^(availability|error_rate|calls|avg|max|p\(\s*(\d+(?:\.\d+)?)\s*\))/;
const TAG = /^\{\s*server\s*[=:]\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_.-]+))\s*\}/;
const OP = /^(<=|>=|==|!=|<|>)/;

/** Parses an expression; returns an error message instead when it is malformed. */
export function parseThreshold(source: string): Threshold | string {
  let rest = source.trim();
  const m = METRIC.exec(rest);
  if (!m) {
    const word = rest.split(/[\s<>=!{]/)[0] ?? '';
    return `unknown metric "${word}" in "${source}" (expected availability, error_rate, calls, p(N), avg or max)`;
  }
  const metric = (m[1]?.startsWith('p(') ? 'p' : m[1]) as ThresholdMetric;
  let percentile: number | undefined;
  if (metric === 'p') {
    percentile = Number(m[2]);
    if (!(percentile > 0 && percentile <= 100)) return `percentile in "${source}" must be in (0, 100]`;
  }
  rest = rest.slice(m[0].length).trimStart();
  let server: string | undefined;
  const tag = TAG.exec(rest);
  if (tag) {
    server = tag[1] ?? tag[2] ?? tag[3];
    rest = rest.slice(tag[0].length).trimStart();
  } else if (rest.startsWith('{')) {
    return `expected a tag like {server=NAME} after "${m[0]}" in "${source}"`;
  }
  const o = OP.exec(rest);
  if (!o) return `expected a comparison (<, <=, >, >=, ==, !=) after "${m[0]}" in "${source}"`;
  const op = o[1] as ThresholdOp;
  rest = rest.slice(o[0].length).trim();
  const [valueText = '', ...windowWords] = rest.split(/\s+/).filter((w) => w !== '');
  if (valueText === '') return `missing value after "${op}" in "${source}"`;
  const value = parseValue(metric, valueText);
  if (typeof value === 'string') return `${value} in "${source}"`;
  const window = parseWindow(windowWords);
  if (typeof window === 'string') return `${window} in "${source}"`;
  const t: Threshold = { source, metric, op, value, window };
  if (percentile !== undefined) t.percentile = percentile;
  if (server !== undefined) t.server = server;
  return t;
}

function parseValue(metric: ThresholdMetric, text: string): number | string {
  if (metric === 'availability' || metric === 'error_rate') {
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
    const n = pct ? Number(pct[1]) / 100 : /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
    if (!(n >= 0 && n <= 1)) return `${metric} value "${text}" must be a fraction in [0, 1] or a percentage`;
    return n;
  }
  if (metric === 'calls') {
    if (!/^\d+$/.test(text)) return `calls value "${text}" must be a non-negative integer`;
    return Number(text);
  }
  if (!DURATION_PATTERN.test(text)) return `latency value: ${durationProblem(text)}`;
  return parseDuration(text);
}

function parseWindow(words: string[]): ThresholdWindow | string {
  const [first, second, ...extra] = words;
  if (first === undefined) return { kind: 'whole' };
  const expected = `(expected "over <duration>", "during faults" or "after recovery")`;
  if (extra.length > 0) return `unexpected "${extra.join(' ')}" ${expected}`;
  if (first === 'over') {
    if (second === undefined) return `missing duration after "over"`;
    if (!DURATION_PATTERN.test(second)) return `window: ${durationProblem(second)}`;
    const ms = parseDuration(second);
    if (ms <= 0) return `window "over ${second}" must be longer than 0`;
    return { kind: 'over', ms };
  }
  if (first === 'during' && second === 'faults') return { kind: 'during-faults' };
  if (first === 'after' && second === 'recovery') return { kind: 'after-recovery' };
  return `unexpected "${words.join(' ')}" ${expected}`;
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
