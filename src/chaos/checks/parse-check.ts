/**
 * Threshold / steady-state expressions (k6-like): `<metric>[{server=NAME}] <op> <value> [window]`.
 *
 *   availability >= 0.995            p(99) < 250ms                 avg < 50ms          max <= 1s
 *   error_rate < 1%                  calls >= 1000                 availability >= 0.99 over 2s
 *   availability >= 0.99 during faults                             p(95) < 100ms after recovery
 *   availability{server=weather} >= 0.99 over 500ms
 *
 * Values: availability / error_rate are fractions in [0, 1] or percentages (`99.5%`); p(N) / avg / max
 * are durations with a unit (`250ms`, `1s`, or `0`), stored in ms; calls is a non-negative integer.
 * Windows: none (the whole run), `over D` (every sliding window of length D), `during faults`,
 * `after recovery`. Dependency-free apart from the core duration parser, so validators can call it.
 */
import { DURATION_PATTERN, durationProblem, parseDuration } from '../../core/duration.js';

export type CheckMetric = 'availability' | 'error_rate' | 'p' | 'avg' | 'max' | 'calls';
export type CheckOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type CheckWindow =
  | { kind: 'whole' }
  | { kind: 'over'; ms: number }
  | { kind: 'during-faults' }
  | { kind: 'after-recovery' };

export interface ParsedCheck {
  /** As written (trimmed). */
  expression: string;
  metric: CheckMetric;
  /** For `p(N)`: N in (0, 100]. */
  percentile?: number;
  op: CheckOp;
  /** ms for latency metrics, a fraction for availability / error_rate, a count for calls. */
  value: number;
  window: CheckWindow;
  /** Only calls of this server (default: every server). */
  server?: string;
}

const METRIC = /^(availability|error_rate|calls|avg|max|p\(\s*(\d+(?:\.\d+)?)\s*\))/;
const TAG = /^\{\s*server\s*[=:]\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_.-]+))\s*\}/;
const OP = /^(<=|>=|==|!=|<|>)/;

function bad(expression: string, why: string): never {
  throw new RangeError(`invalid check "${expression}": ${why}`);
}

/** Parses a check expression; throws RangeError quoting the expression and what is wrong. */
export function parseCheck(text: string): ParsedCheck {
  if (typeof text !== 'string')
    throw new RangeError(`invalid check ${JSON.stringify(text)}: expected a string`);
  const expression = text.trim();
  let rest = expression;
  const m = METRIC.exec(rest);
  if (!m) {
    const word = rest.split(/[\s<>=!{]/)[0] ?? '';
    bad(expression, `unknown metric "${word}" (expected availability, error_rate, calls, p(N), avg or max)`);
  }
  const metric: CheckMetric = m[1]!.startsWith('p(') ? 'p' : (m[1] as CheckMetric);
  let percentile: number | undefined;
  if (metric === 'p') {
    percentile = Number(m[2]);
    if (!(percentile > 0 && percentile <= 100)) bad(expression, `percentile ${m[2]} must be in (0, 100]`);
  }
  rest = rest.slice(m[0].length).trimStart();
  let server: string | undefined;
  const tag = TAG.exec(rest);
  if (tag) {
    server = tag[1] ?? tag[2] ?? tag[3];
    rest = rest.slice(tag[0].length).trimStart();
  } else if (rest.startsWith('{')) {
    bad(expression, 'expected a tag like {server=NAME} after the metric');
  }
  const o = OP.exec(rest);
  if (!o) bad(expression, `expected a comparison (<, <=, >, >=, ==, !=) after "${m[0]}"`);
  const op = o[1] as CheckOp;
  rest = rest.slice(o[0].length).trim();
  const [valueText, ...windowWords] = rest.split(/\s+/).filter((w) => w !== '');
  if (valueText === undefined) bad(expression, `missing value after "${op}"`);
  const value = parseValue(expression, metric, valueText);
  const window = parseWindow(expression, windowWords);
  const out: ParsedCheck = { expression, metric, op, value, window };
  if (percentile !== undefined) out.percentile = percentile;
  if (server !== undefined) out.server = server;
  return out;
}

function parseValue(expression: string, metric: CheckMetric, text: string): number {
  if (metric === 'availability' || metric === 'error_rate') {
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
    const n = pct ? Number(pct[1]) / 100 : /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
    if (!(n >= 0 && n <= 1))
      bad(expression, `${metric} value "${text}" must be a fraction in [0, 1] or a percentage`);
    return n;
  }
  if (metric === 'calls') {
    if (!/^\d+$/.test(text)) bad(expression, `calls value "${text}" must be a non-negative integer`);
    return Number(text);
  }
  if (!DURATION_PATTERN.test(text)) bad(expression, `latency value: ${durationProblem(text)}`);
  return parseDuration(text);
}

function parseWindow(expression: string, words: string[]): CheckWindow {
  const [first, second, ...extra] = words;
  if (first === undefined) return { kind: 'whole' };
  const expected = '(expected "over <duration>", "during faults" or "after recovery")';
  if (extra.length > 0) bad(expression, `unexpected "${extra.join(' ')}" ${expected}`);
  if (first === 'over') {
    if (second === undefined) bad(expression, 'missing duration after "over"');
    if (!DURATION_PATTERN.test(second)) bad(expression, `window: ${durationProblem(second)}`);
    const ms = parseDuration(second);
    if (!(ms > 0)) bad(expression, `window "over ${second}" must be longer than 0`);
    return { kind: 'over', ms };
  }
  if (first === 'during' && second === 'faults') return { kind: 'during-faults' };
  if (first === 'after' && second === 'recovery') return { kind: 'after-recovery' };
  bad(expression, `unexpected "${words.join(' ')}" ${expected}`);
}
