/** Test helper: a journal's failures as readable lines, for assertion messages. */
import type { Journal } from '../../src/chaos/index.js';

export function failures(j: Journal): string {
  const lines = [`${j.scenario.name}: ${j.verdict} (exit ${j.exitCode}); replay: ${j.replay}`];
  for (const c of [...j.steadyState.before, ...j.steadyState.after, ...j.thresholds]) {
    if (!c.held) lines.push(`  check ${c.expression} → ${c.actual}`);
  }
  for (const i of j.invariants) {
    if (i.held) continue;
    lines.push(`  invariant ${i.name}: ${i.summary}`);
    for (const v of i.violations.slice(0, 3))
      lines.push(`    t=${Math.round(v.t)}ms ${v.endpoint ?? ''} ${v.message}`);
  }
  for (const e of j.errors) lines.push(`  error ${e}`);
  for (const e of j.rollback.errors) lines.push(`  rollback error ${e}`);
  return lines.join('\n');
}
