/**
 * The self-contained HTML report of one run: verdict header, summary cards, the timeline chart (inline
 * SVG), the checks with their violations, faults and endpoints. No script, font or stylesheet is fetched.
 */
import type { Journal } from '../chaos/journal.js';
import { chartMarkers } from './chart-markers.js';
import { collectChecks, type ReportCheck } from './checks.js';
import { escapeHtml as esc, truncate } from './escape.js';
import {
  formatCount,
  formatMs,
  formatRatio,
  formatT,
  measuredFigures,
  runDurationMs,
  sutLabel,
  toxiproxyLabel,
  verdictText,
} from './format.js';
import { HARNESS_COLORS } from './harness-lane.js';
import { harnessLines, INCONCLUSIVE_ADVICE } from './harness-text.js';
import { htmlPage } from './html-page.js';
import {
  FAULT_COLORS,
  MARKER_COLORS,
  MARKER_LABELS,
  renderTimelineSvg,
  SERIES_COLORS,
  stateColor,
} from './timeline-chart.js';

/** Rows shown per checks table before the rest is summarised. */
const MAX_ROWS = 2000;

function meta(j: Journal): string {
  const v = j.versions ?? { mcpChaos: '?', node: '?', sdk: '?', toxiproxy: '?' };
  const rows: Array<[string, string]> = [
    ['Seed', `<code>${esc(String(j.seed))}</code>`],
    ['Started', `${esc(j.startedAt)} · ran ${esc(formatMs(runDurationMs(j.startedAt, j.endedAt)))}`],
    ['Exit code', String(j.exitCode)],
    ['Time scale', esc(String(j.timeScale))],
    ['System under test', esc(sutLabel(j.sut))],
    ['Toxiproxy', esc(toxiproxyLabel(j.toxiproxyUrl, v.toxiproxy))],
    ['Versions', `mcp-chaos ${esc(v.mcpChaos)} · Node ${esc(v.node)} · MCP SDK ${esc(v.sdk)}`],
  ];
  if (j.scenario.file) rows.push(['Scenario file', `<code>${esc(j.scenario.file)}</code>`]);
  const items = rows.map(([k, val]) => `<dt>${k}</dt><dd>${val}</dd>`).join('');
  return `<dl class="meta">${items}</dl><div><strong>Replay</strong><pre><code>${esc(j.replay ?? '')}</code></pre></div>`;
}

function cards(j: Journal): string {
  const s = { ...j.summary, ...measuredFigures(j.summary) };
  const list: Array<[string, string]> = [
    ['calls', formatCount(s.calls)],
    ['succeeded', formatCount(s.succeeded)],
    ['failed', formatCount(s.failed)],
    ['availability', formatRatio(s.availability)],
    ['p50', formatMs(s.p50Ms)],
    ['p95', formatMs(s.p95Ms)],
    ['p99', formatMs(s.p99Ms)],
    ['max', formatMs(s.maxMs)],
    ['retries', formatCount(s.retries)],
    ['breaker openings', formatCount(s.breakerOpenings)],
    ['health transitions', formatCount(s.healthTransitions)],
    ['ejections', formatCount(s.ejections)],
  ];
  const html = list.map(
    ([k, v]) => `<div class="card"><div class="v">${esc(v)}</div><div class="k">${k}</div></div>`,
  );
  const outcomes = Object.entries(s.byOutcome ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${esc(k)} <strong>${formatCount(n)}</strong>`);
  const outLine = outcomes.length ? `<div class="outcomes">Outcomes: ${outcomes.join(' · ')}</div>` : '';
  return `<div class="cards">${html.join('')}</div>${outLine}`;
}

function legend(j: Journal): string {
  const sw = (color: string, label: string, line = false) =>
    `<span><i class="swatch${line ? ' line' : ''}" style="background:${color}"></i>${esc(label)}</span>`;
  const byColor = new Map<string, string[]>();
  for (const l of j.lanes ?? []) {
    for (const seg of [...l.breaker, ...l.health]) {
      const names = byColor.get(stateColor(seg.state)) ?? [];
      if (!names.includes(seg.state)) names.push(seg.state);
      byColor.set(stateColor(seg.state), names);
    }
  }
  const states = [...byColor].map(([color, names]) => sw(color, names.join(' / ')));
  const faults = (j.faults ?? []).map((f, i) =>
    sw(FAULT_COLORS[i % FAULT_COLORS.length] ?? '#fb8f44', `fault: ${truncate(f.name, 40)}`),
  );
  const kinds = new Set(chartMarkers(j).map((m) => m.kind));
  const markers = [...kinds].map(
    (k) => `<span><b style="color:${MARKER_COLORS[k]}">◆</b> ${esc(MARKER_LABELS[k].slice(2))}</span>`,
  );
  return `<div class="legend">${[
    sw(SERIES_COLORS.ok, 'ok'),
    sw(SERIES_COLORS.failed, 'failed'),
    sw(SERIES_COLORS.rejected, 'rejected'),
    sw(SERIES_COLORS.p50, 'p50', true),
    sw(SERIES_COLORS.p99, 'p99', true),
    ...states,
    ...faults,
    ...markers,
    ...(j.harness?.samples.length
      ? [
          sw(HARNESS_COLORS.busy, 'harness lag ≥ 50ms'),
          sw(HARNESS_COLORS.starved, `harness starved (≥ ${j.harness.floorMs}ms)`),
        ]
      : []),
  ].join('')}</div>`;
}

const SECTIONS: Array<{ title: string; kind: ReportCheck['kind'] }> = [
  { title: 'Steady state', kind: 'steady-state' },
  { title: 'Invariants', kind: 'invariant' },
  { title: 'Thresholds', kind: 'threshold' },
  { title: 'Rollback', kind: 'rollback' },
  { title: 'Run errors', kind: 'run' },
];

/** A status mark drawn with CSS and a plain glyph (no emoji font needed). */
export function statusIcon(held: boolean, inconclusive = false): string {
  if (held) return '<span class="st ok" title="held">✓</span>';
  return inconclusive
    ? '<span class="st unsure" title="inconclusive">?</span>'
    : '<span class="st bad" title="failed">✗</span>';
}

function checkRow(c: ReportCheck): string {
  let extra = '';
  if (!c.held) {
    const items = c.lines.map((l) => `<li>${esc(l)}</li>`);
    const more = c.totalLines - c.lines.length;
    if (more > 0)
      items.push(`<li class="note">… ${formatCount(more)} more not shown (see journal.json)</li>`);
    const msg = c.message ? `<div>${esc(c.message)}</div>` : '';
    const why = c.inconclusive ? `<div class="inconclusive">${esc(c.inconclusive)}</div>` : '';
    extra = `${msg}${why}${items.length ? `<ul class="violations">${items.join('')}</ul>` : ''}`;
  }
  const state = c.held ? 'held' : c.inconclusive ? 'inconclusive' : 'failed';
  return `<tr class="${state}"><td class="icon">${statusIcon(c.held, c.inconclusive !== undefined)}</td><td class="name"><code>${esc(c.name)}</code></td><td>${esc(c.detail)}${extra}</td></tr>`;
}

function checksHtml(j: Journal): string {
  const checks = collectChecks(j, { maxLines: 50, maxLineChars: 500 });
  const out: string[] = [];
  for (const section of SECTIONS) {
    const list = checks.filter((c) => c.kind === section.kind);
    if (list.length === 0) continue;
    const held = list.filter((c) => c.held).length;
    const rows = list.slice(0, MAX_ROWS).map(checkRow);
    if (list.length > MAX_ROWS)
      rows.push(
        `<tr><td></td><td colspan="2" class="note">… ${list.length - MAX_ROWS} more not shown</td></tr>`,
      );
    out.push(
      `<h3>${section.title} <span class="note">(${held}/${list.length} held)</span></h3>`,
      `<table class="checks" data-kind="${section.kind}"><thead><tr><th></th><th>check</th><th>result</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    );
  }
  return out.join('\n');
}

function faultsHtml(j: Journal): string {
  const faults = j.faults ?? [];
  if (faults.length === 0) return '<p class="note">No faults were injected.</p>';
  const rows = faults.map((f) => {
    const end = Number.isFinite(f.endT) ? formatT(f.endT) : 'end of load';
    return `<tr><td>${esc(f.name)}</td><td>${esc(f.kind)}</td><td>${esc(f.detail)}</td><td>${esc(f.endpoints.join(', '))}</td><td class="num">${formatT(f.startT)}</td><td class="num">${end}</td></tr>`;
  });
  return `<table class="faults"><thead><tr><th>name</th><th>kind</th><th>detail</th><th>endpoints</th><th class="num">from</th><th class="num">to</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function endpointsHtml(j: Journal): string {
  const lanes = j.lanes ?? [];
  if (lanes.length === 0) return '';
  const rows = lanes.map((l) => {
    const opened = l.breaker.filter((s) => s.state === 'open').length;
    const unhealthy = l.health.filter((s) => s.state === 'unhealthy').length;
    const rate = l.calls > 0 ? formatRatio(l.failures / l.calls) : '–';
    return `<tr><td><code>${esc(l.endpoint)}</code></td><td class="num">${formatCount(l.calls)}</td><td class="num">${formatCount(l.failures)}</td><td class="num">${rate}</td><td class="num">${opened}</td><td class="num">${unhealthy}</td></tr>`;
  });
  return `<h2>Endpoints</h2><table class="endpoints"><thead><tr><th>endpoint</th><th class="num">attempts</th><th class="num">failures</th><th class="num">failure rate</th><th class="num">open intervals</th><th class="num">unhealthy intervals</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The harness lane in words (under the timeline): its worst second, starved stretches, preflight. */
function harnessHtml(j: Journal): string {
  const lines = harnessLines(j);
  if (lines.length === 0) return '';
  const advice =
    j.verdict === 'inconclusive' ? `<p class="inconclusive">${esc(INCONCLUSIVE_ADVICE)}</p>` : '';
  return `<section class="harness"><h3>Harness</h3>${advice}<ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul></section>`;
}

/** Renders the self-contained HTML report of one run. */
export function renderHtml(journal: Journal): string {
  const j = journal;
  const name = esc(j.scenario.name);
  const lanesNote =
    (j.lanes ?? []).length > 40 ? '<p class="note">Only the first 40 endpoints are charted.</p>' : '';
  const body = [
    `<h1><span class="badge ${esc(j.verdict)}">${esc(verdictText(j.verdict))}</span><span>${name}</span></h1>`,
    j.scenario.description ? `<p class="desc">${esc(j.scenario.description)}</p>` : '',
    meta(j),
    '<h2>Summary</h2>',
    cards(j),
    '<h2>Timeline</h2>',
    `<div class="chart-box">${renderTimelineSvg(j)}${legend(j)}</div>${lanesNote}`,
    harnessHtml(j),
    '<h2>Checks</h2>',
    checksHtml(j),
    '<h2>Faults</h2>',
    faultsHtml(j),
    endpointsHtml(j),
    j.historyTruncated ? '<p class="note">The recorded history was too large and was sampled.</p>' : '',
    `<footer>Generated by mcp-chaos ${esc(j.versions?.mcpChaos ?? '')} from journal.json · seed ${esc(String(j.seed))}</footer>`,
  ];
  return htmlPage(`${verdictText(j.verdict)} — ${j.scenario.name} · mcp-chaos`, body.join('\n'));
}
