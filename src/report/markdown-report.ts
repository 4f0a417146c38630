/**
 * Markdown summary (GitHub step summaries, PR comments, terminals). Always under 1 MiB: violation lists
 * are bounded per check, lines are cut, and the whole document stops at a byte budget with a note saying so.
 */
import type { Journal } from '../chaos/journal.js';
import { checkMark, collectChecks, type ReportCheck } from './checks.js';
import { escapeMarkdown, markdownCode, truncate } from './escape.js';
import {
  formatCount,
  formatMs,
  formatRatio,
  formatT,
  measuredFigures,
  runDurationMs,
  sutLabel,
  toxiproxyLabel,
  verdictIcon,
  verdictText,
} from './format.js';
import { harnessLines, INCONCLUSIVE_ADVICE } from './harness-text.js';

export interface MarkdownOptions {
  /** Violation lines shown per failed check (default 10). */
  maxViolations?: number;
  /** Byte budget for the whole document (default 900 KiB; GitHub's step-summary limit is 1 MiB). */
  maxBytes?: number;
  /** Heading level of the title (default 2, so several summaries can share one page). */
  headingLevel?: number;
}

/** Accumulates lines until a byte budget is reached, then drops the rest and remembers it did. */
class Budgeted {
  readonly lines: string[] = [];
  private bytes = 0;
  truncated = false;
  constructor(private readonly maxBytes: number) {}
  push(...lines: string[]): boolean {
    for (const line of lines) {
      const size = Buffer.byteLength(line, 'utf8') + 1;
      if (this.truncated || this.bytes + size > this.maxBytes) {
        this.truncated = true;
        return false;
      }
      this.lines.push(line);
      this.bytes += size;
    }
    return true;
  }
  /** Appends lines past the budget (the caller reserved room for them). */
  force(...lines: string[]): void {
    this.lines.push(...lines);
  }
}

const cell = (text: string, max = 300) => escapeMarkdown(truncate(text, max));

function headerLines(j: Journal, h: string): string[] {
  const v = j.versions ?? { mcpChaos: '?', node: '?', sdk: '?', toxiproxy: '?' };
  const lines = [
    `${h} ${verdictIcon(j.verdict)} ${verdictText(j.verdict)} — ${cell(j.scenario.name, 200)}`,
    '',
  ];
  if (j.scenario.description) lines.push(`> ${cell(j.scenario.description, 1000)}`, '');
  lines.push(
    '| | |',
    '| --- | --- |',
    `| Verdict | ${verdictIcon(j.verdict)} ${verdictText(j.verdict)} (exit ${j.exitCode}) |`,
    `| Seed | ${markdownCode(String(j.seed), true)} |`,
    `| Started | ${cell(j.startedAt)} (ran ${formatMs(runDurationMs(j.startedAt, j.endedAt))}) |`,
    `| Time scale | ${j.timeScale} |`,
    `| System under test | ${cell(sutLabel(j.sut))} |`,
    `| Toxiproxy | ${cell(toxiproxyLabel(j.toxiproxyUrl, v.toxiproxy))} |`,
    `| Versions | mcp-chaos ${cell(v.mcpChaos)}, Node ${cell(v.node)}, MCP SDK ${cell(v.sdk)} |`,
  );
  if (j.scenario.file)
    lines.push(`| Scenario file | ${markdownCode(truncate(j.scenario.file, 300), true)} |`);
  lines.push(
    '',
    '**Replay:**',
    '',
    '```sh',
    truncate(j.replay ?? '', 2000).replace(/`{3,}/g, '``'),
    '```',
    '',
  );
  return lines;
}

function summaryLines(j: Journal, h: string): string[] {
  const s = { ...j.summary, ...measuredFigures(j.summary) };
  const lines = [
    `${h}# Summary`,
    '',
    '| calls | succeeded | failed | availability | p50 | p95 | p99 | max | retries | breaker openings | health transitions | ejections |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${[s.calls, s.succeeded, s.failed].map(formatCount).join(' | ')} | ${formatRatio(s.availability)} | ${[
      s.p50Ms,
      s.p95Ms,
      s.p99Ms,
      s.maxMs,
    ]
      .map(formatMs)
      .join(' | ')} | ${[s.retries, s.breakerOpenings, s.healthTransitions, s.ejections]
      .map(formatCount)
      .join(' | ')} |`,
    '',
  ];
  const outcomes = Object.entries(s.byOutcome ?? {}).sort((a, b) => b[1] - a[1]);
  if (outcomes.length > 0) {
    const shown = outcomes.slice(0, 30).map(([k, n]) => `${cell(k, 60)} ${formatCount(n)}`);
    lines.push(`Outcomes: ${shown.join(' · ')}${outcomes.length > 30 ? ' · …' : ''}`, '');
  }
  return lines;
}

const SECTIONS: Array<{ title: string; match: (c: ReportCheck) => boolean }> = [
  { title: 'Steady state', match: (c) => c.kind === 'steady-state' },
  { title: 'Invariants', match: (c) => c.kind === 'invariant' },
  { title: 'Thresholds', match: (c) => c.kind === 'threshold' },
  { title: 'Rollback', match: (c) => c.kind === 'rollback' },
  { title: 'Run errors', match: (c) => c.kind === 'run' },
];

/** Yields the checks' tables and violation lists block by block, so rendering stops at the budget. */
function* checkLines(checks: ReportCheck[], h: string): Generator<string[]> {
  for (const section of SECTIONS) {
    const list = checks.filter(section.match);
    if (list.length === 0) continue;
    const held = list.filter((c) => c.held).length;
    yield [
      `${h}# ${section.title} (${held}/${list.length} held)`,
      '',
      '| | check | result |',
      '| --- | --- | --- |',
    ];
    for (const c of list) {
      yield [`| ${checkMark(c)} | ${markdownCode(truncate(c.name, 200), true)} | ${cell(c.detail)} |`];
    }
    yield [''];
    for (const c of list.filter((x) => !x.held && x.totalLines > 0)) {
      const more = c.totalLines - c.lines.length;
      // a run error is said whole (why a server did not start, with its last output): Markdown wraps it
      const max = c.kind === 'run' ? 4000 : 500;
      const block = [
        `${checkMark(c)} ${markdownCode(truncate(c.name, 200))} — ${cell(c.message ?? '', max)}`,
        '',
      ];
      if (c.inconclusive) block.push(`> ${cell(c.inconclusive, 1000)}`, '');
      for (const line of c.lines) block.push(`- ${cell(line, c.kind === 'run' ? max : 300)}`);
      if (more > 0) block.push(`- … ${formatCount(more)} more not shown (truncated; see journal.json)`);
      block.push('');
      yield block;
    }
  }
}

/** The harness lane in words: its worst second, starved stretches, preflight; advice when inconclusive. */
function harnessSection(j: Journal, h: string): string[] {
  const lines = harnessLines(j);
  if (lines.length === 0) return [];
  const out = [`${h}# Harness`, ''];
  if (j.verdict === 'inconclusive') out.push(`> ${cell(INCONCLUSIVE_ADVICE, 500)}`, '');
  for (const l of lines) out.push(`- ${cell(l, 600)}`);
  out.push('');
  return out;
}

function faultLines(j: Journal, h: string): string[] {
  const faults = j.faults ?? [];
  if (faults.length === 0) return [`${h}# Faults`, '', 'No faults were injected.', ''];
  const lines = [
    `${h}# Faults (${faults.length})`,
    '',
    '| name | kind | detail | endpoints | from | to |',
    '| --- | --- | --- | --- | ---: | ---: |',
  ];
  for (const f of faults.slice(0, 200)) {
    const end = Number.isFinite(f.endT) ? formatT(f.endT) : 'end of load';
    lines.push(
      `| ${cell(f.name, 100)} | ${cell(f.kind)} | ${cell(f.detail, 100)} | ${cell(f.endpoints.join(', '), 200)} | ${formatT(f.startT)} | ${end} |`,
    );
  }
  if (faults.length > 200)
    lines.push('', `… ${faults.length - 200} more faults not shown (see journal.json).`);
  lines.push('', ...deployLines(j));
  return lines;
}

/** One line per deploy: its steps in order (`v2: start 1s · weather[0]#1 ready 1.05s · … · complete 4.2s`). */
function deployLines(j: Journal): string[] {
  const steps = (j.history?.events ?? []).filter((e) => e.type === 'deploy');
  if (steps.length === 0) return [];
  const byFault = new Map<string, string[]>();
  for (const e of steps) {
    const list = byFault.get(e.fault) ?? [];
    byFault.set(e.fault, list);
    const who = e.endpoint ? `${e.endpoint} ` : '';
    const why = e.action === 'halted' || e.action === 'not-admitted' ? ` (${e.detail ?? ''})` : '';
    if (list.length < 40) list.push(`${who}${e.action}${why} ${formatT(e.t)}`);
  }
  return [...byFault]
    .flatMap(([fault, list]) => [`- deploy ${cell(fault, 100)}: ${cell(list.join(' · '), 2000)}`])
    .concat('');
}

/** Renders the Markdown summary of one run. */
export function renderMarkdown(journal: Journal, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? 900 * 1024;
  const h = '#'.repeat(Math.min(6, Math.max(1, options.headingLevel ?? 2)));
  const sub = h.length >= 6 ? h.slice(1) : h;
  const checks = collectChecks(journal, { maxLines: options.maxViolations ?? 10, maxLineChars: 300 });
  const out = new Budgeted(maxBytes - 400);
  out.push(...headerLines(journal, h), ...summaryLines(journal, sub), ...harnessSection(journal, sub));
  for (const block of checkLines(checks, sub)) if (!out.push(...block)) break;
  out.push(...faultLines(journal, sub));
  if (journal.historyTruncated) out.push('_The recorded history was too large and was sampled._', '');
  if (out.truncated) {
    out.force(
      '',
      `> ⚠️ This summary was cut to stay under ${Math.round(maxBytes / 1024)} KiB; the full data is in journal.json.`,
      '',
    );
  }
  return out.lines.join('\n');
}
