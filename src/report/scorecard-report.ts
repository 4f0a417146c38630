/**
 * The scorecard table (`mcp-chaos scorecard`): failure modes down, systems under test across; each cell
 * says whether the SUT survived the mode (every invariant and threshold held), its availability, p99 and
 * time to recover — as Markdown and as a self-contained HTML page. Below the table, why each cell that
 * did not survive failed (the first violations), and what each SUT is.
 */
import type { ScoreCell } from '../chaos/index.js';
import { escapeHtml, escapeMarkdown, truncate } from './escape.js';
import { formatMs } from './format.js';
import { htmlPage } from './html-page.js';

export interface ScorecardMeta {
  /** When it ran (ISO) and on what. */
  startedAt: string;
  node: string;
  timeScale: number;
  suts: Array<{ name: string; description: string }>;
  modes: Array<{ name: string; description: string }>;
}

const ICON: Record<ScoreCell['status'], string> = {
  survived: '✅',
  failed: '❌',
  inconclusive: '❔',
  'not-run': '—',
  error: '⚠️',
};

/** One cell as text: `✅ 100.0% · p99 32 ms · recovered 0 s`. */
export function cellText(c: ScoreCell | undefined): string {
  if (!c) return '';
  if (c.status === 'not-run') return '— not run';
  if (c.status === 'error') return '⚠️ infrastructure error';
  if (c.status === 'inconclusive') return '❔ inconclusive (the harness was starved: re-run)';
  const parts = [
    `${ICON[c.status]} ${((c.availability ?? 0) * 100).toFixed(1)}%`,
    `p99 ${formatMs(c.p99Ms ?? 0)}`,
  ];
  if (c.recovered === false) parts.push('not recovered');
  else if (c.recoverMs !== undefined)
    parts.push(c.recoverMs === 0 ? 'no failed call' : `recovered ${formatMs(c.recoverMs)}`);
  return parts.join(' · ');
}

function grid(cells: readonly ScoreCell[], meta: ScorecardMeta): string[][] {
  const at = new Map(cells.map((c) => [`${c.mode}\u0000${c.sut}`, c]));
  return meta.modes.map((m) => [
    m.name,
    ...meta.suts.map((s) => cellText(at.get(`${m.name}\u0000${s.name}`))),
  ]);
}

function notes(cells: readonly ScoreCell[]): ScoreCell[] {
  return cells.filter((c) => c.status !== 'survived' && c.notes.length > 0);
}

export function renderScorecardMarkdown(cells: readonly ScoreCell[], meta: ScorecardMeta): string {
  const survived = (s: string) => cells.filter((c) => c.sut === s && c.status === 'survived').length;
  const lines = [
    '# MCP gateway scorecard',
    '',
    `Ran ${meta.startedAt} on Node ${meta.node}, time scale ${meta.timeScale}. A cell: survived (✅, every invariant and threshold held) or not (❌); availability and p99 of the load's calls over the run; time from the fault's start to the last failed call ("recovered"), or "not recovered" when calls still failed in the run's last second.`,
    '',
    `| failure mode | ${meta.suts.map((s) => escapeMarkdown(s.name)).join(' | ')} |`,
    `| --- | ${meta.suts.map(() => '---').join(' | ')} |`,
    ...grid(cells, meta).map((row) => `| ${row.map((x) => escapeMarkdown(x)).join(' | ')} |`),
    `| **survived** | ${meta.suts.map((s) => `**${survived(s.name)}/${meta.modes.length}**`).join(' | ')} |`,
    '',
    '## Systems under test',
    '',
    ...meta.suts.map((s) => `- **${escapeMarkdown(s.name)}**: ${escapeMarkdown(s.description)}`),
    '',
    '## Failure modes',
    '',
    ...meta.modes.map((m) => `- **${escapeMarkdown(m.name)}**: ${escapeMarkdown(m.description)}`),
  ];
  const why = notes(cells);
  if (why.length > 0) {
    lines.push('', '## Why', '');
    for (const c of why)
      lines.push(
        `- ${escapeMarkdown(c.mode)} × ${escapeMarkdown(c.sut)}: ${escapeMarkdown(truncate(c.notes.slice(0, 2).join('; '), 400))}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

export function renderScorecardHtml(cells: readonly ScoreCell[], meta: ScorecardMeta): string {
  const at = new Map(cells.map((c) => [`${c.mode}\u0000${c.sut}`, c]));
  const head = `<tr><th>failure mode</th>${meta.suts.map((s) => `<th>${escapeHtml(s.name)}</th>`).join('')}</tr>`;
  const rows = meta.modes
    .map((m) => {
      const tds = meta.suts.map((s) => {
        const c = at.get(`${m.name}\u0000${s.name}`);
        const cls = c?.status === 'survived' ? 'pass' : c?.status === 'failed' ? 'fail' : '';
        const title =
          c && c.notes.length > 0 ? ` title="${escapeHtml(truncate(c.notes.join('; '), 600))}"` : '';
        return `<td class="${cls}"${title}>${escapeHtml(cellText(c))}</td>`;
      });
      return `<tr><th>${escapeHtml(m.name)}</th>${tds.join('')}</tr>`;
    })
    .join('\n');
  const list = (xs: Array<{ name: string; description: string }>) =>
    `<ul>${xs.map((x) => `<li><b>${escapeHtml(x.name)}</b>: ${escapeHtml(x.description)}</li>`).join('')}</ul>`;
  const why = notes(cells)
    .map(
      (c) =>
        `<li>${escapeHtml(c.mode)} × ${escapeHtml(c.sut)}: ${escapeHtml(truncate(c.notes.slice(0, 2).join('; '), 400))}</li>`,
    )
    .join('');
  const body = `<h1>MCP gateway scorecard</h1>
<p>Ran ${escapeHtml(meta.startedAt)} on Node ${escapeHtml(meta.node)}, time scale ${meta.timeScale}.</p>
<table class="checks">${head}
${rows}</table>
<h2>Systems under test</h2>${list(meta.suts)}
<h2>Failure modes</h2>${list(meta.modes)}
${why ? `<h2>Why</h2><ul>${why}</ul>` : ''}`;
  return htmlPage('MCP gateway scorecard', body);
}
