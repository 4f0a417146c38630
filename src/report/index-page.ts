/** The `reports/index.html` page: every run found under the reports folder, newest first. */
import type { Verdict } from '../chaos/journal.js';
import { escapeHtml as esc } from './escape.js';
import { verdictText } from './format.js';
import { htmlPage } from './html-page.js';

export interface IndexEntry {
  /** The run's folder, relative to the index page (e.g. `2026-11-24T02-00-00.000Z-blackhole`). */
  dir: string;
  scenario: string;
  verdict: Verdict;
  /** ISO timestamp. */
  startedAt: string;
  seed: number;
}

/** Percent-encodes each path segment so any folder name makes a safe relative link. */
function href(dir: string, file: string): string {
  const segments = dir.split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
  return [...segments, file].map(encodeURIComponent).join('/');
}

/** Renders the index page listing runs (sorted newest first) with their verdicts. */
export function renderIndex(runs: readonly IndexEntry[]): string {
  const sorted = [...runs].sort((a, b) =>
    a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0,
  );
  const passed = sorted.filter((r) => r.verdict === 'passed').length;
  const inconclusive = sorted.filter((r) => r.verdict === 'inconclusive').length;
  const rows = sorted.map(
    (r) =>
      `<tr class="${r.verdict === 'passed' ? 'held' : r.verdict === 'inconclusive' ? 'inconclusive' : 'failed'}"><td>${esc(r.startedAt)}</td><td class="name"><a href="${esc(href(r.dir, 'report.html'))}">${esc(r.scenario)}</a></td>` +
      `<td><span class="badge ${esc(r.verdict)}">${esc(verdictText(r.verdict))}</span></td>` +
      `<td class="num"><code>${esc(String(r.seed))}</code></td>` +
      `<td><a href="${esc(href(r.dir, 'summary.md'))}">summary.md</a> · <a href="${esc(href(r.dir, 'junit.xml'))}">junit.xml</a> · <a href="${esc(href(r.dir, 'journal.json'))}">journal.json</a></td></tr>`,
  );
  const table = rows.length
    ? `<table class="runs"><thead><tr><th>started</th><th>scenario</th><th>verdict</th><th class="num">seed</th><th>files</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '<p class="note">No runs yet.</p>';
  const body = `<h1>mcp-chaos runs</h1><p class="desc">${sorted.length} run(s), ${passed} passed, ${inconclusive} inconclusive (the harness was starved: re-run), ${sorted.length - passed - inconclusive} failed.</p>${table}`;
  return htmlPage('mcp-chaos runs', body);
}
