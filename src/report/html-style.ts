/** The report pages' inline stylesheet (system fonts only; nothing is fetched). */
import { SERIES_COLORS } from './timeline-chart.js';

export const REPORT_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg-soft: #f6f8fa;
  --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); background: #fff; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
h2 { font-size: 17px; margin: 32px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 20px 0 8px; }
p.desc { color: var(--muted); margin: 0 0 12px; }
code, pre { font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
pre { background: var(--bg-soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px;
  overflow-x: auto; white-space: pre-wrap; word-break: break-all; margin: 6px 0 0; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; letter-spacing: .04em; padding: 3px 10px;
  border-radius: 999px; color: #fff; background: var(--bad); white-space: nowrap; }
.badge.passed { background: var(--ok); }
.badge.rollback-failed, .badge.infrastructure-error { background: #82071e; }
.badge.interrupted { background: #6e7781; }
.badge.inconclusive { background: #9a6700; }
.badge.invalid { background: var(--warn); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: #fff; }
.card .v { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .k { color: var(--muted); font-size: 12px; }
.outcomes { color: var(--muted); margin-top: 8px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg-soft); font-weight: 600; font-size: 13px; }
td.num, th.num { text-align: right; }
table.checks { table-layout: fixed; }
table.checks th:first-child { width: 40px; }
table.checks th:nth-child(2) { width: 38%; }
td.icon { width: 40px; text-align: center; }
.st { display: inline-block; width: 18px; height: 18px; line-height: 18px; border-radius: 50%; color: #fff;
  font-size: 12px; font-weight: 700; text-align: center; }
.st.ok { background: var(--ok); }
.st.bad { background: var(--bad); }
.st.unsure { background: #9a6700; }
.inconclusive { color: #7d4e00; }
tr.inconclusive td { background: #fff8c5; }
td.name { overflow-wrap: anywhere; }
tr.failed td { background: #fff5f5; }
ul.violations { margin: 4px 0 0; padding-left: 18px; color: var(--bad); }
ul.violations li { color: var(--fg); overflow-wrap: anywhere; }
.note { color: var(--muted); font-style: italic; }
.chart-box { border: 1px solid var(--line); border-radius: 8px; padding: 8px 8px 2px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 8px 4px 4px; color: var(--muted); font-size: 12.5px; }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.swatch { width: 12px; height: 12px; border-radius: 2px; display: inline-block; }
.swatch.line { height: 3px; border-radius: 0; }
svg.timeline { display: block; font-family: inherit; }
svg .grid, svg .grid-x { stroke: #eaeef2; stroke-width: 1; }
svg .axis { stroke: #8c959f; stroke-width: 1; }
svg .tick { font-size: 11px; fill: #59636e; }
svg .panel-title { font-size: 12.5px; font-weight: 600; fill: #1f2328; }
svg .lane-label { font-size: 11px; fill: #1f2328; }
svg .fault-label { font-size: 11.5px; font-weight: 600; }
svg .empty { font-size: 14px; fill: #8c959f; }
svg .bar-ok { fill: ${SERIES_COLORS.ok}; }
svg .bar-failed { fill: ${SERIES_COLORS.failed}; }
svg .bar-rejected { fill: ${SERIES_COLORS.rejected}; }
svg .line-p50, svg .line-p99 { fill: none; stroke-width: 2; stroke-linejoin: round; }
svg .line-p50 { stroke: ${SERIES_COLORS.p50}; }
svg .line-p99 { stroke: ${SERIES_COLORS.p99}; }
svg .hover { fill: transparent; }
svg .hover:hover { fill: rgba(31, 35, 40, 0.07); }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
a { color: #0969da; }
`;
