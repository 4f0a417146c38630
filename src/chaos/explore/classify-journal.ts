/**
 * What one explored run means for the search: a counterexample needs an invariant that did not hold in a
 * run that otherwise went through (verdict `deviated`). Infrastructure errors and failed rollbacks are
 * reported separately and never count as counterexamples; threshold and steady-state checks are not part
 * of explored scenarios.
 */
import type { Journal } from '../journal.js';

export type RunClass =
  | { kind: 'held' }
  | { kind: 'violated'; invariants: string[] }
  // the harness was starved: neither a counterexample nor a pass
  | { kind: 'inconclusive'; why: string }
  | { kind: 'infrastructure'; errors: string[] };

export function classifyJournal(j: Journal): RunClass {
  if (j.verdict === 'passed') return { kind: 'held' };
  if (j.verdict === 'deviated') {
    const failed = j.invariants.filter((i) => !i.held).map((i) => i.name);
    return failed.length > 0 ? { kind: 'violated', invariants: failed } : { kind: 'held' };
  }
  if (j.verdict === 'inconclusive') {
    const why = [...j.steadyState.before, ...j.invariants, ...j.thresholds, ...j.steadyState.after]
      .map((c) => c.inconclusive)
      .find((x) => x !== undefined);
    return { kind: 'inconclusive', why: why ?? 'inconclusive: the harness itself was starved' };
  }
  const errors = j.errors.length > 0 ? [...j.errors] : [`verdict ${j.verdict}`];
  if (j.verdict === 'rollback-failed') errors.push(...j.rollback.errors.map((e) => `rollback: ${e}`));
  return { kind: 'infrastructure', errors };
}

/** The first violation messages of the failed invariants (for descriptions and READMEs). */
export function violationLines(j: Journal, perInvariant = 3): string[] {
  const out: string[] = [];
  for (const inv of j.invariants) {
    if (inv.held) continue;
    out.push(`${inv.name}: ${inv.summary}`);
    for (const v of inv.violations.slice(0, perInvariant)) out.push(`  - ${v.message}`);
    if (inv.violationCount > perInvariant) out.push(`  - … ${inv.violationCount - perInvariant} more`);
  }
  return out;
}
