/**
 * Evaluating a threshold / steady-state check over a history.
 *
 * - availability = successful calls ÷ calls started in the window; error_rate = 1 − availability;
 *   calls = calls started. A call without a call-end counts as started and failed. Tool errors count as
 *   failed unless the call-end outcome says success (the runner maps `toolErrorsAreSuccess` there).
 * - p(N) (nearest rank, exact), avg and max cover every finished call started in the window, successful
 *   or not, using the call's final latency (retries included).
 * - Calls belong to windows by their start time.
 * - A window with no calls (or, for latency, no finished calls) is vacuous: availability/latency checks
 *   hold there; `calls` is 0 and is judged. `over D` judges every distinct sliding window and reports the
 *   worst one (failedAtT = its start when the check fails).
 */
import { secondsText } from '../../core/index.js';
import type { History } from '../history.js';
import type { CheckResult } from '../journal.js';
import { callTable, slideWindows } from '../stats/index.js';
import { checkRange } from './check-window.js';
import { type CallRows, MetricAccumulator } from './metric-accumulator.js';
import { type CheckOp, type ParsedCheck, parseCheck } from './parse-check.js';

export interface EvaluateCheckOptions {
  /** Breaker openFor in ms, for the `after recovery` window. */
  openForMs: number;
  /** Start of the measured range, ms since load start (default 0). */
  fromT?: number;
  /** End of the measured range, exclusive (default durationMs). */
  toT?: number;
}

/** A parsed check, or one with `source` instead of `expression` (the scenario's Threshold shape). */
export type CheckInput =
  | ParsedCheck
  | (Omit<ParsedCheck, 'expression'> & { source: string; expression?: undefined })
  | string;

/** Whether `actual op value` holds. */
export function compare(actual: number, op: CheckOp, value: number): boolean {
  switch (op) {
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '==':
      return actual === value;
    case '!=':
      return actual !== value;
  }
}

/** How badly a value does against the check (higher = worse), to pick the worst window. */
function badness(actual: number, op: CheckOp, value: number): number {
  if (op === '<' || op === '<=') return actual;
  if (op === '>' || op === '>=') return -actual;
  return op === '==' ? Math.abs(actual - value) : -Math.abs(actual - value);
}

export function evaluateCheck(input: CheckInput, history: History, opts: EvaluateCheckOptions): CheckResult {
  const check: ParsedCheck =
    typeof input === 'string'
      ? parseCheck(input)
      : { ...input, expression: input.expression ?? (input as { source: string }).source };
  if (!(opts.openForMs >= 0)) throw new RangeError(`openForMs must be ≥ 0, got ${opts.openForMs}`);
  const label = metricLabel(check);
  const rows = selectRows(history, check.server);
  if (!rows) {
    return {
      expression: check.expression,
      held: false,
      actual: `no server named "${check.server}" in this run`,
    };
  }
  const range = checkRange(history, check.window, opts);
  const span = `[${secs(range.fromT)}, ${secs(range.toT)})`;
  const note = range.note ? ` (${range.note})` : '';
  if (range.empty !== undefined) {
    if (check.metric !== 'calls') {
      return { expression: check.expression, held: true, actual: `empty window: ${range.empty} (vacuous)` };
    }
    return {
      expression: check.expression,
      held: compare(0, check.op, check.value),
      actual: `calls 0: empty window (${range.empty})`,
    };
  }
  const acc = new MetricAccumulator(check.metric, check.percentile, rows);
  if (check.window.kind !== 'over') {
    slideWindows(rows.startT, range.fromT, range.toT, range.toT - range.fromT, {
      add: (i) => acc.add(i),
      remove: (i) => acc.remove(i),
      visit: () => {},
    });
    const v = acc.value();
    if (v === undefined) {
      const what =
        check.metric === 'availability' || check.metric === 'error_rate' ? 'calls' : 'finished calls';
      return { expression: check.expression, held: true, actual: `no ${what} in ${span}${note} (vacuous)` };
    }
    return {
      expression: check.expression,
      held: compare(v, check.op, check.value),
      actual: `${label} ${fmt(check, v)} ${acc.detail()} in ${span}${note}`.replace('  ', ' '),
    };
  }
  const widthMs = check.window.ms;
  let windows = 0;
  let failing = 0;
  let firstFailS: number | undefined;
  let worst: { s: number; v: number; score: number; detail: string } | undefined;
  slideWindows(rows.startT, range.fromT, range.toT, widthMs, {
    add: (i) => acc.add(i),
    remove: (i) => acc.remove(i),
    visit: (s) => {
      const v = acc.value();
      if (v === undefined) return;
      windows++;
      const ok = compare(v, check.op, check.value);
      if (!ok) {
        failing++;
        if (firstFailS === undefined) firstFailS = s;
      }
      const score = badness(v, check.op, check.value);
      if (!worst || score > worst.score) worst = { s, v, score, detail: acc.detail() };
    },
  });
  if (!worst) {
    return {
      expression: check.expression,
      held: true,
      actual: `no calls in any window in ${span}${note} (vacuous)`,
    };
  }
  const w = worst as { s: number; v: number; score: number; detail: string };
  const winEnd = range.toT - range.fromT < widthMs ? range.toT : w.s + widthMs;
  const win = `[${secs(w.s)}, ${secs(winEnd)})`;
  const head = `worst ${label} ${fmt(check, w.v)} ${w.detail} in ${win}`.replace('  ', ' ');
  if (failing === 0) {
    return {
      expression: check.expression,
      held: true,
      actual: `${head}, across ${windows} windows of ${secs(widthMs)} in ${span}${note}`,
    };
  }
  return {
    expression: check.expression,
    held: false,
    actual: `${head}; ${failing} of ${windows} windows failed, the first at ${secs(firstFailS ?? w.s)}${note}`,
    failedAtT: w.s,
  };
}

function selectRows(history: History, server: string | undefined): CallRows | undefined {
  const table = callTable(history);
  if (server === undefined) return { startT: table.startT, ok: table.ok, latencyMs: table.latencyMs };
  const si = table.servers.indexOf(server);
  if (si < 0)
    return history.settings[server] || Object.values(history.endpoints).includes(server)
      ? empty()
      : undefined;
  let n = 0;
  for (let i = 0; i < table.size; i++) if (table.server[i] === si) n++;
  const rows: CallRows = {
    startT: new Float64Array(n),
    ok: new Uint8Array(n),
    latencyMs: new Float64Array(n),
  };
  let k = 0;
  for (let i = 0; i < table.size; i++) {
    if (table.server[i] !== si) continue;
    rows.startT[k] = table.startT[i]!;
    rows.ok[k] = table.ok[i]!;
    rows.latencyMs[k++] = table.latencyMs[i]!;
  }
  return rows;
}

function empty(): CallRows {
  return { startT: new Float64Array(0), ok: new Uint8Array(0), latencyMs: new Float64Array(0) };
}

function metricLabel(c: ParsedCheck): string {
  return c.metric === 'p' ? `p(${c.percentile})` : c.metric;
}

function fmt(c: ParsedCheck, v: number): string {
  if (c.metric === 'availability' || c.metric === 'error_rate') return v.toFixed(4);
  if (c.metric === 'calls') return String(v);
  return `${Math.round(v * 10) / 10}ms`;
}

const secs = secondsText;
