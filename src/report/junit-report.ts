/**
 * JUnit XML (the de-facto schema CI tools read): `<testsuites>` → one `<testsuite>` per scenario →
 * one `<testcase>` per steady-state check, invariant, threshold, plus rollback (and the run's own errors,
 * if any). Failed checks carry `<failure message type>` with the violations; run errors carry `<error>`.
 * Times are seconds.
 */
import type { Journal } from '../chaos/journal.js';
import { collectChecks, type ReportCheck } from './checks.js';
import { escapeXmlAttr, escapeXmlText } from './escape.js';
import { formatSeconds, runDurationMs } from './format.js';

/** Violation lines kept per failed test case. */
const MAX_FAILURE_LINES = 50;

function attrs(pairs: Record<string, string | number>): string {
  return Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${escapeXmlAttr(String(v))}"`)
    .join('');
}

function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, '_');
}

function properties(journal: Journal): string {
  const v = journal.versions ?? { mcpChaos: '', node: '', sdk: '', toxiproxy: '' };
  const props: Array<[string, string | number]> = [
    ['seed', journal.seed],
    ['replay', journal.replay ?? ''],
    ['verdict', journal.verdict],
    ['exitCode', journal.exitCode],
    ['timeScale', journal.timeScale],
    ['toxiproxyUrl', journal.toxiproxyUrl ?? ''],
    ['sut', journal.sut?.kind === 'gateway' ? `gateway: ${journal.sut.command}` : 'manager'],
    ['version.mcpChaos', v.mcpChaos],
    ['version.node', v.node],
    ['version.sdk', v.sdk],
    ['version.toxiproxy', v.toxiproxy],
    ['startedAt', journal.startedAt],
    ['endedAt', journal.endedAt],
  ];
  if (journal.scenario.file) props.push(['scenarioFile', journal.scenario.file]);
  const items = props.map(([name, value]) => `      <property${attrs({ name, value })}/>`);
  return `    <properties>\n${items.join('\n')}\n    </properties>\n`;
}

function failureBody(check: ReportCheck): string {
  const lines = [check.detail, ...check.lines];
  if (check.totalLines > check.lines.length) {
    lines.push(`… and ${check.totalLines - check.lines.length} more (see journal.json)`);
  }
  return escapeXmlText(lines.join('\n'));
}

function testcase(check: ReportCheck, classname: string): string {
  const head = `    <testcase${attrs({ name: check.name, classname: `${classname}.${check.kind}`, time: '0.000' })}`;
  const out = `      <system-out>${escapeXmlText(check.detail)}</system-out>\n    </testcase>`;
  if (check.held) return `${head}>\n${out}`;
  // inconclusive: CI tools show a skipped test with its reason (neither passed nor failed)
  if (check.inconclusive) {
    return `${head}>\n      <skipped${attrs({ message: check.inconclusive })}>${failureBody(check)}</skipped>\n${out}`;
  }
  const tag = check.isError ? 'error' : 'failure';
  const type = check.isError ? check.name : check.kind;
  const message = check.message ?? `${check.name} failed`;
  return `${head}>\n      <${tag}${attrs({ message, type })}>${failureBody(check)}</${tag}>\n${out}`;
}

interface SuiteCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  timeMs: number;
}

function testsuite(journal: Journal): { xml: string; counts: SuiteCounts } {
  const checks = collectChecks(journal, { maxLines: MAX_FAILURE_LINES, maxLineChars: 2000 });
  const failures = checks.filter((c) => !c.held && !c.isError && !c.inconclusive).length;
  const errors = checks.filter((c) => !c.held && c.isError).length;
  const skipped = checks.filter((c) => !c.held && c.inconclusive).length;
  const timeMs = runDurationMs(journal.startedAt, journal.endedAt);
  const classname = `mcp-chaos.${slug(journal.scenario.name)}`;
  const head = `  <testsuite${attrs({
    name: journal.scenario.name,
    tests: checks.length,
    failures,
    errors,
    skipped,
    time: formatSeconds(timeMs),
    timestamp: journal.startedAt,
  })}>\n`;
  const cases = checks.map((c) => testcase(c, classname)).join('\n');
  return {
    xml: `${head}${properties(journal)}${cases}\n  </testsuite>`,
    counts: { tests: checks.length, failures, errors, skipped, timeMs },
  };
}

/** JUnit XML for a whole run: one `<testsuite>` per scenario journal, in the order given. */
export function renderJunitForRun(journals: readonly Journal[], name = 'mcp-chaos'): string {
  const suites = journals.map(testsuite);
  const sum = (k: keyof SuiteCounts) => suites.reduce((n, s) => n + s.counts[k], 0);
  const head = `<testsuites${attrs({
    name,
    tests: sum('tests'),
    failures: sum('failures'),
    errors: sum('errors'),
    skipped: sum('skipped'),
    time: formatSeconds(sum('timeMs')),
  })}>`;
  const body = suites.map((s) => s.xml).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${body}${body ? '\n' : ''}</testsuites>\n`;
}

/** JUnit XML for one scenario run. */
export function renderJunit(journal: Journal): string {
  return renderJunitForRun([journal], `mcp-chaos ${journal.scenario.name}`);
}
