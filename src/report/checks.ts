/**
 * The journal's pass/fail checks as one flat list: steady state (before, after), invariants, thresholds,
 * rollback, and — when the run itself broke — the infrastructure/input errors. JUnit, Markdown and HTML
 * all render from this list so they always agree.
 */

import type { Violation } from '../chaos/invariants/invariant.js';
import type { CheckResult, Journal } from '../chaos/journal.js';
import { truncate, wrapWords } from './escape.js';
import { formatT } from './format.js';

export type CheckKind = 'steady-state' | 'invariant' | 'threshold' | 'rollback' | 'run';

export interface ReportCheck {
  kind: CheckKind;
  /** Test-case name, e.g. `no-lost-calls`, `availability >= 0.995`, `steady state before: …`. */
  name: string;
  held: boolean;
  /** One line: what was measured or checked. */
  detail: string;
  /** When not held: a one-line failure message. */
  message?: string;
  /** Violation / error lines, at most `maxLines` of them. */
  lines: string[];
  /** How many lines there were before bounding (≥ lines.length). */
  totalLines: number;
  /** An error of the run itself (input or infrastructure), not a failed assertion. */
  isError?: boolean;
  /** Did not hold, but only where the harness itself was starved: why it is inconclusive. */
  inconclusive?: string;
}

/** Check names longer than this are cut (a name is an expression or invariant name, never data). */
const MAX_NAME_CHARS = 1000;
/** A run error (a server that did not start, with its last output) is kept whole up to this length. */
const MAX_ERROR_CHARS = 4000;

export interface CollectOptions {
  /** Lines kept per check (default 20). */
  maxLines?: number;
  /** Characters kept per line (default 500). */
  maxLineChars?: number;
}

/** One violation as a line: `t=3.42s weather[0]: message` (at most `maxChars`). */
export function violationLine(v: Violation, maxChars = 2000): string {
  const where = v.endpoint ? ` ${truncate(String(v.endpoint), 200)}` : '';
  return truncate(`${formatT(v.t)}${where}: ${truncate(String(v.message), maxChars)}`, maxChars);
}

function bounded(all: readonly string[], total: number, o: Required<CollectOptions>) {
  return {
    lines: all.slice(0, o.maxLines).map((l) => truncate(String(l), o.maxLineChars)),
    totalLines: Math.max(total, Math.min(all.length, o.maxLines)),
  };
}

function fromCheckResult(prefix: string, kind: CheckKind, c: CheckResult, o: Required<CollectOptions>) {
  const at = c.failedAtT === undefined ? '' : ` (failed at ${formatT(c.failedAtT)})`;
  // Cut the parts before joining them: journals may hold huge strings, and slicing a joined one copies it.
  const expression = truncate(String(c.expression), MAX_NAME_CHARS);
  const actual = truncate(String(c.actual), o.maxLineChars);
  const check: ReportCheck = {
    kind,
    name: `${prefix}${expression}`,
    held: c.held,
    detail: truncate(`${actual}${at}`, o.maxLineChars),
    lines: [],
    totalLines: 0,
  };
  if (!c.held) {
    check.message = truncate(
      `${truncate(expression, o.maxLineChars)} did not hold: ${actual}${at}`,
      o.maxLineChars,
    );
  }
  if (!c.held && c.inconclusive) check.inconclusive = truncate(String(c.inconclusive), o.maxLineChars);
  return check;
}

/** Flattens a journal's checks; order: steady state before, invariants, thresholds, steady state after, rollback, run. */
export function collectChecks(journal: Journal, options: CollectOptions = {}): ReportCheck[] {
  const o: Required<CollectOptions> = { maxLines: 20, maxLineChars: 500, ...options };
  const out: ReportCheck[] = [];
  for (const c of journal.steadyState?.before ?? []) {
    out.push(fromCheckResult('steady state before: ', 'steady-state', c, o));
  }
  for (const inv of journal.invariants ?? []) {
    const violations = inv.violations ?? [];
    const total = Math.max(inv.violationCount ?? 0, violations.length);
    const { lines, totalLines } = bounded(
      violations.slice(0, o.maxLines).map((v) => violationLine(v, o.maxLineChars)),
      total,
      o,
    );
    const check: ReportCheck = {
      kind: 'invariant',
      name: truncate(String(inv.name), MAX_NAME_CHARS),
      held: inv.held,
      detail: truncate(inv.summary ?? '', o.maxLineChars),
      lines,
      totalLines,
    };
    if (!inv.held) {
      const first = violations[0] ? `; first: ${violationLine(violations[0], o.maxLineChars)}` : '';
      check.message = truncate(`${total} violation${total === 1 ? '' : 's'}${first}`, o.maxLineChars);
      if (inv.inconclusive) check.inconclusive = truncate(String(inv.inconclusive), o.maxLineChars);
    }
    out.push(check);
  }
  for (const c of journal.thresholds ?? []) out.push(fromCheckResult('', 'threshold', c, o));
  for (const c of journal.steadyState?.after ?? []) {
    out.push(fromCheckResult('steady state after: ', 'steady-state', c, o));
  }
  const rb = journal.rollback ?? { ok: true, actions: [], errors: [] };
  const rbErrors = rb.errors ?? [];
  const rbLines = bounded(rbErrors, rbErrors.length, o);
  const rollback: ReportCheck = {
    kind: 'rollback',
    name: 'rollback',
    held: rb.ok,
    detail: `${(rb.actions ?? []).length} action(s) undone, ${rbErrors.length} error(s)`,
    ...rbLines,
  };
  if (!rb.ok) rollback.message = truncate(`rollback failed: ${rbErrors[0] ?? 'no detail'}`, o.maxLineChars);
  out.push(rollback);
  const errors = journal.errors ?? [];
  const runBroke = journal.verdict === 'invalid' || journal.verdict === 'infrastructure-error';
  const interrupted = journal.verdict === 'interrupted';
  if (errors.length > 0 || runBroke || interrupted) {
    const kind = journal.verdict === 'invalid' ? 'input' : interrupted ? 'interruption' : 'infrastructure';
    const whole = { ...o, maxLineChars: Math.max(o.maxLineChars, MAX_ERROR_CHARS) };
    out.push({
      kind: 'run',
      name: journal.verdict === 'invalid' ? 'scenario input' : interrupted ? 'interrupted' : 'infrastructure',
      held: false,
      detail: `${errors.length} ${kind} error(s)`,
      message: truncate(errors[0] ?? `verdict ${journal.verdict}`, whole.maxLineChars),
      ...bounded(errors, errors.length, whole),
      isError: true,
    });
  }
  return out;
}

/** The mark of a check: ✅ held, ❔ inconclusive, ❌ did not hold. */
export function checkMark(c: Pick<ReportCheck, 'held' | 'inconclusive'>): string {
  return c.held ? '✅' : c.inconclusive ? '❔' : '❌';
}

/**
 * Why a run failed, for a terminal: one line per check that did not hold (`✗ name: message`, `? name:
 * message — inconclusive: why` for an inconclusive one), at most `maxChecks` of them, then how many more
 * there were. Empty when every check held.
 */
export function failedChecksLines(journal: Journal, maxChecks = 5): string[] {
  const failed = collectChecks(journal, { maxLines: 1, maxLineChars: 240 }).filter((c) => !c.held);
  const lines = failed.slice(0, maxChecks).flatMap((c) => {
    if (c.inconclusive) return [`? ${truncate(c.name, 120)}: ${c.message ?? c.detail} — ${c.inconclusive}`];
    // a run error is said whole — why a server did not start, with its last output — wrapped, never cut
    if (c.isError) {
      const [first, ...rest] = wrapWords(`✗ ${truncate(c.name, 120)}: ${c.message ?? c.detail}`, 110);
      return [first ?? '', ...rest.map((l) => `    ${l}`)];
    }
    return [`✗ ${truncate(c.name, 120)}: ${c.message ?? c.detail}`];
  });
  if (failed.length > maxChecks) lines.push(`… and ${failed.length - maxChecks} more (see summary.md)`);
  return lines;
}
