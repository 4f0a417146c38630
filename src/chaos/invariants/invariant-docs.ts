/**
 * `docs/invariants.md`, rendered from the registry: every invariant with what it checks and its params
 * (kind, required or not, meaning and default). A unit test keeps the committed file equal to this;
 * regenerate with `npx tsx scripts/invariant-docs.ts > docs/invariants.md`.
 */
import type { Invariant, ParamDoc } from './invariant.js';

const KIND: Record<ParamDoc['kind'], string> = {
  fault: 'fault name',
  server: 'server name',
  duration: 'duration (`1500ms`, `2s`; a number is ms)',
  number: 'number ≥ 0',
  integer: 'integer',
  ratio: 'ratio 0…1 or `N%`',
  boolean: '`true` / `false`',
};

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The Markdown page for `invariants`, in registry order. */
export function renderInvariantDocs(invariants: readonly Invariant[]): string {
  const lines = [
    '# Invariants',
    '',
    '<!-- Generated from src/chaos/invariants (the registry): npx tsx scripts/invariant-docs.ts > docs/invariants.md -->',
    '',
    'An invariant is a pure function over a run’s history (every call, attempt, state change, fault and',
    'deploy step). In a scenario, list it by name (`- no-lost-calls`) or with params',
    '(`- failover-within: {fault: blackhole-0, within: 2s}`). Unknown names and params are validation errors',
    'with a did-you-mean; the JSON Schema (`schema/scenario.schema.json`) completes both in an editor.',
    'Fault-tied invariants without a `fault` param judge every fault but deploys. Each result’s summary says',
    'how much it judged; `health-detects-within`, `at-most-once` and `acknowledged-executed` fail when they',
    'could judge nothing.',
    '',
    'Time-caused violations — a detection, recovery, failover or deploy too late, a call that timed out or',
    'ended late — are marked `cause: time`: when every violation of an invariant is time-caused and lies',
    'where the harness itself was starved, the invariant is inconclusive rather than failed (docs/reports.md,',
    '"The harness lane"). `no-lost-calls` adds the harness’s measured stall to its slack.',
    '',
    '| invariant | checks |',
    '| --- | --- |',
    ...invariants.map((i) => `| [\`${i.name}\`](#${i.name}) | ${cell(i.description)} |`),
    '',
  ];
  for (const inv of invariants) {
    lines.push(`## ${inv.name}`, '', inv.description, '');
    const params = Object.entries(inv.paramDocs);
    if (params.length === 0) {
      lines.push('No params.', '');
      continue;
    }
    lines.push('| param | kind | | meaning |', '| --- | --- | --- | --- |');
    for (const [k, p] of params)
      lines.push(`| \`${k}\` | ${KIND[p.kind]} | ${p.required ? 'required' : 'optional'} | ${cell(p.doc)} |`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
