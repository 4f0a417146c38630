/**
 * The run's timeline as one inline SVG, rendered server-side: stacked throughput bars (ok / failed /
 * rejected per second), p50/p99 latency lines, and a breaker + health lane per endpoint, all on one time
 * axis with the fault windows shaded across every panel. Hover text comes from SVG `<title>`s (no script).
 */
import type { EndpointLane, Journal, TimeBucket } from '../chaos/journal.js';
import { chartMarkers } from './chart-markers.js';
import { bucketWidthMs, formatTick, linearScale, mergeBuckets, niceTicks } from './chart-scale.js';
import { escapeHtml as esc, truncate } from './escape.js';
import { formatMs, formatT } from './format.js';
import { harnessLaneSvg } from './harness-lane.js';

const WIDTH = 1200;
const LEFT = 172;
const RIGHT = 24;
const MAX_BARS = 600;
const THROUGHPUT_H = 180;
const LATENCY_H = 130;
const LANE_H = 12;
const LANE_GAP = 3;
const ENDPOINT_GAP = 9;
const MAX_LANES = 40;
/** Calls a chart bucket should hold on average: sparser timelines are merged into wider buckets. */
const MIN_CALLS_PER_BUCKET = 8;
/** …but never into fewer than this many buckets. */
const MIN_BUCKETS = 20;

export const SERIES_COLORS = {
  ok: '#2da44e',
  failed: '#cf222e',
  rejected: '#d4a72c',
  p50: '#0969da',
  p99: '#8250df',
};
export const FAULT_COLORS = ['#fb8f44', '#8250df', '#bf3989', '#0969da', '#1a7f37'];
const STATE_COLORS: Record<string, string> = {
  closed: '#2da44e',
  healthy: '#2da44e',
  open: '#cf222e',
  unhealthy: '#cf222e',
  'forced-open': '#82071e',
  'half-open': '#d4a72c',
  disabled: '#8c959f',
  unknown: '#d0d7de',
};

/** Fill colour of a breaker or health state (unknown states are grey). */
export function stateColor(state: string): string {
  return STATE_COLORS[state] ?? '#afb8c1';
}

const num = (v: number) => (Math.round(v * 10) / 10).toString();
const title = (text: string) => `<title>${esc(text)}</title>`;

/** The time span the chart shows: load start to the end of the timeline (or faults/lanes if no timeline). */
export function timelineDomainMs(journal: Journal): number {
  const tl = journal.timeline ?? [];
  const last = tl[tl.length - 1];
  if (last) return Math.max(1, last.t + bucketWidthMs(tl));
  const ends = [journal.history?.durationMs ?? 0];
  for (const f of journal.faults ?? []) ends.push(Number.isFinite(f.endT) ? f.endT : f.startT);
  for (const l of journal.lanes ?? []) for (const s of [...l.breaker, ...l.health]) ends.push(s.toT);
  return Math.max(1, ...ends.filter(Number.isFinite));
}

interface Frame {
  x: (t: number) => number;
  domainMs: number;
  plotRight: number;
}

function axisY(y0: number, ticks: number[], y: (v: number) => number, label: string): string {
  const parts = ticks.map((v) => {
    const yy = num(y(v));
    return `<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${yy}" y2="${yy}"/><text class="tick" x="${LEFT - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${formatTick(v)}</text>`;
  });
  parts.push(`<text class="panel-title" x="${LEFT}" y="${y0 - 8}">${esc(label)}</text>`);
  return parts.join('');
}

function throughputPanel(f: Frame, buckets: TimeBucket[], widthMs: number, y0: number): string {
  // the last bucket may reach past the end of the chart: its rate is over the part that is on it
  const span = (b: TimeBucket) => Math.max(1, Math.min(widthMs, f.domainMs - b.t));
  const rate = (b: TimeBucket, n: number) => n / (span(b) / 1000);
  const max = Math.max(1, ...buckets.map((b) => rate(b, b.ok + b.failed + b.rejected)));
  const ticks = niceTicks(max, 4);
  const top = ticks[ticks.length - 1] ?? max;
  const y = linearScale(0, top, 0, THROUGHPUT_H);
  const bars: string[] = [];
  for (const b of buckets) {
    const x0 = f.x(b.t);
    const w = Math.max(0.5, f.x(b.t + span(b)) - x0 - (f.x(widthMs) - f.x(0) > 4 ? 1 : 0));
    let base = y0 + THROUGHPUT_H;
    for (const key of ['ok', 'failed', 'rejected'] as const) {
      const h = y(rate(b, b[key]));
      if (h <= 0) continue;
      base -= h;
      bars.push(
        `<rect class="bar-${key}" x="${num(x0)}" y="${num(base)}" width="${num(w)}" height="${num(h)}"/>`,
      );
    }
  }
  return `<g class="panel" data-panel="throughput">${axisY(y0, ticks, linearScale(0, top, y0 + THROUGHPUT_H, y0), 'Throughput (calls/s): ok · failed · rejected')}${bars.join('')}</g>`;
}

function latencyPath(
  f: Frame,
  buckets: TimeBucket[],
  widthMs: number,
  y: (v: number) => number,
  key: 'p50Ms' | 'p99Ms',
): string {
  // buckets without calls have no latency: the line goes straight on to the next one that has
  const points: Array<[number, number]> = [];
  for (const b of buckets) {
    if (b.calls <= 0 || !Number.isFinite(b[key])) continue;
    points.push([f.x(b.t + Math.min(widthMs, f.domainMs - b.t) / 2), y(b[key])]);
  }
  const cls = `line-${key === 'p50Ms' ? 'p50' : 'p99'}`;
  if (points.length === 0) return '';
  if (points.length === 1) {
    const [x, yy] = points[0] as [number, number];
    return `<circle class="${cls}" cx="${num(x)}" cy="${num(yy)}" r="2.5"/>`;
  }
  const d = points.map(([x, yy], i) => `${i === 0 ? 'M' : 'L'}${num(x)},${num(yy)}`).join('');
  return `<path class="${cls}" d="${d}"/>`;
}

/** Latency axis: logarithmic when p99 and p50 are far apart (so both stay readable), else linear. */
function latencyScale(
  buckets: TimeBucket[],
  y0: number,
): { y: (v: number) => number; ticks: number[]; log: boolean } {
  const live = buckets.filter((b) => b.calls > 0);
  const max = Math.max(1, ...live.map((b) => b.p99Ms).filter(Number.isFinite));
  const min = Math.min(max, ...live.map((b) => b.p50Ms).filter((v) => Number.isFinite(v) && v > 0));
  if (max / min <= 30) {
    const ticks = niceTicks(max, 4);
    return { y: linearScale(0, ticks[ticks.length - 1] ?? max, y0 + LATENCY_H, y0), ticks, log: false };
  }
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) ticks.push(10 ** e);
  const scale = linearScale(lo, hi, y0 + LATENCY_H, y0);
  return { y: (v: number) => scale(Math.log10(Math.max(10 ** lo, v))), ticks, log: true };
}

function latencyPanel(f: Frame, buckets: TimeBucket[], widthMs: number, y0: number): string {
  const { y, ticks, log } = latencyScale(buckets, y0);
  const lines = latencyPath(f, buckets, widthMs, y, 'p99Ms') + latencyPath(f, buckets, widthMs, y, 'p50Ms');
  const label = `Latency (ms${log ? ', log scale' : ''}): p50 · p99`;
  return `<g class="panel" data-panel="latency">${axisY(y0, ticks, y, label)}${lines}</g>`;
}

/** The MCP era(s) of an endpoint for its lane label: `2026 ` / `2025 ` / `2025→2026 `, or nothing. */
function eraLabel(lane: EndpointLane): string {
  const eras = lane.eras ?? [];
  if (eras.length === 0) return '';
  return `${eras.map((e) => (e.era === 'modern' ? '2026' : '2025')).join('→')} `;
}

function laneRow(f: Frame, lane: EndpointLane, which: 'breaker' | 'health', y: number): string {
  const parts = [
    `<text class="lane-label" x="${LEFT - 6}" y="${num(y + LANE_H / 2)}" text-anchor="end" dominant-baseline="middle">${esc(truncate(lane.endpoint, 18))} ${which === 'breaker' ? eraLabel(lane) : ''}${which}</text>`,
  ];
  for (const s of lane[which]) {
    const from = Math.max(0, s.fromT);
    const to = Math.min(f.domainMs, Number.isFinite(s.toT) ? s.toT : f.domainMs);
    if (!(to > from)) continue;
    const x0 = f.x(from);
    parts.push(
      `<rect class="lane-seg" data-state="${esc(s.state)}" x="${num(x0)}" y="${num(y)}" width="${num(Math.max(0.5, f.x(to) - x0))}" height="${LANE_H}" fill="${stateColor(s.state)}">${title(`${lane.endpoint} ${which} ${s.state}: ${formatT(s.fromT)} – ${formatT(s.toT)}`)}</rect>`,
    );
  }
  return parts.join('');
}

function hoverTargets(f: Frame, buckets: TimeBucket[], widthMs: number, y0: number, h: number): string {
  return buckets
    .map((b) => {
      const x0 = f.x(b.t);
      const text = `${formatT(b.t)}–${formatT(b.t + widthMs).slice(2)}: ok ${b.ok}, failed ${b.failed}, rejected ${b.rejected} of ${b.calls} calls; p50 ${formatMs(b.p50Ms)}, p99 ${formatMs(b.p99Ms)}`;
      const x1 = f.x(Math.min(b.t + widthMs, f.domainMs));
      return `<rect class="hover" x="${num(x0)}" y="${y0}" width="${num(Math.max(0.5, x1 - x0))}" height="${h}">${title(text)}</rect>`;
    })
    .join('');
}

/** Approximate label width in SVG units (11.5px bold system font). */
const LABEL_CHAR_W = 7.2;
/** Fault label rows stacked above the plot when labels would overlap. */
const MAX_LABEL_ROWS = 3;

interface PlacedFault {
  index: number;
  x0: number;
  x1: number;
  row: number;
  label: string;
}

/** Places each fault's label on the first row where it does not overlap an earlier one. */
function placeFaults(f: Frame, journal: Journal): PlacedFault[] {
  const rowsEnd: number[] = [];
  const placed: PlacedFault[] = [];
  (journal.faults ?? []).forEach((fault, index) => {
    const from = Math.max(0, Math.min(f.domainMs, fault.startT));
    const to = Math.min(f.domainMs, Number.isFinite(fault.endT) ? fault.endT : f.domainMs);
    if (!(to > from)) return;
    const x0 = f.x(from);
    const full = `${fault.name} · ${fault.detail} → ${fault.endpoints.join(', ')}`;
    let row = rowsEnd.findIndex((end) => end + 8 <= x0);
    if (row < 0)
      row = rowsEnd.length < MAX_LABEL_ROWS ? rowsEnd.length : rowsEnd.indexOf(Math.min(...rowsEnd));
    const room = Math.max(40, f.plotRight - x0 - 4);
    const label = truncate(full, Math.max(4, Math.floor(room / LABEL_CHAR_W)));
    rowsEnd[row] = x0 + 4 + label.length * LABEL_CHAR_W;
    placed.push({ index, x0, x1: f.x(to), row, label });
  });
  return placed;
}

function faultBands(journal: Journal, placed: PlacedFault[], top: number, bottom: number): string {
  const rows = Math.max(1, ...placed.map((p) => p.row + 1));
  return placed
    .map(({ index, x0, x1, row, label }) => {
      const fault = journal.faults[index];
      if (!fault) return '';
      const color = FAULT_COLORS[index % FAULT_COLORS.length];
      const tip = `${fault.name} (${fault.kind}: ${fault.detail}) on ${fault.endpoints.join(', ')}, ${formatT(fault.startT)} – ${Number.isFinite(fault.endT) ? formatT(fault.endT) : 'end of load'}`;
      const labelY = top - 6 - (rows - 1 - row) * 15;
      return (
        `<g class="fault-band" data-fault="${esc(fault.name)}"><rect x="${num(x0)}" y="${top}" width="${num(Math.max(1, x1 - x0))}" height="${bottom - top}" fill="${color}" fill-opacity="0.12" stroke="${color}" stroke-opacity="0.6" stroke-dasharray="4 3">${title(tip)}</rect>` +
        `<line x1="${num(x0)}" x2="${num(x0)}" y1="${labelY + 3}" y2="${top}" stroke="${color}" stroke-opacity="0.6"/>` +
        `<text class="fault-label" x="${num(x0 + 4)}" y="${labelY}" fill="${color}">${esc(label)}<title>${esc(tip)}</title></text></g>`
      );
    })
    .join('');
}

export const MARKER_COLORS = { process: '#1f2328', deploy: '#0969da', 'traffic-left': '#bf3989' } as const;
/** Legend text of each marker kind. */
export const MARKER_LABELS = {
  process: '◆ process exit / restart',
  deploy: '◆ deploy step',
  'traffic-left': '◆ traffic left a faulted replica',
} as const;

/**
 * Markers: one about an endpoint is a diamond on that endpoint's lane (between its breaker and health
 * rows); one about the run (a deploy starting, completing, halting) a triangle on the throughput panel's
 * top edge. Each says what happened when it is hovered.
 */
function markerParts(f: Frame, journal: Journal, laneY: Map<string, number>, tpY: number): string {
  return chartMarkers(journal)
    .filter((m) => m.t >= 0 && m.t <= f.domainMs)
    .map((m) => {
      const x = f.x(m.t);
      const color = MARKER_COLORS[m.kind];
      const y = m.endpoint === undefined ? undefined : laneY.get(m.endpoint);
      const tip = title(`${formatT(m.t)} ${m.text}`);
      const shape =
        y === undefined
          ? `<path d="M${num(x - 5)},${num(tpY - 7)}L${num(x + 5)},${num(tpY - 7)}L${num(x)},${num(tpY)}Z" fill="${color}">${tip}</path>`
          : `<path d="M${num(x)},${num(y - 5)}L${num(x + 4)},${num(y)}L${num(x)},${num(y + 5)}L${num(x - 4)},${num(y)}Z" fill="${color}" stroke="#ffffff" stroke-width="1">${tip}</path>`;
      return `<g class="marker" data-kind="${m.kind}">${shape}</g>`;
    })
    .join('');
}

/**
 * How many timeline buckets one chart bucket merges: at most {@link MAX_BARS} bars, and on average
 * {@link MIN_CALLS_PER_BUCKET} calls per bucket (a sparse run would draw a comb of 0 / 1-call bars and a
 * latency line with nothing to join), but never fewer than {@link MIN_BUCKETS} buckets.
 */
export function chartMergeFactor(buckets: readonly TimeBucket[]): number {
  const n = buckets.length;
  if (n === 0) return 1;
  const calls = buckets.reduce((sum, b) => sum + b.calls, 0);
  const forBars = Math.ceil(n / MAX_BARS);
  const forCalls = calls > 0 ? Math.ceil((MIN_CALLS_PER_BUCKET * n) / calls) : 1;
  const cap = Math.max(1, Math.floor(n / MIN_BUCKETS));
  return Math.max(1, forBars, Math.min(forCalls, cap));
}

/** Renders the timeline SVG for a journal (an empty-state note when there is no timeline). */
export function renderTimelineSvg(journal: Journal): string {
  const domainMs = timelineDomainMs(journal);
  const all = journal.timeline ?? [];
  const baseWidth = bucketWidthMs(all);
  // load starts at 0: the steady state before it is not drawn (left of 0 is the y axis)
  const raw = all.filter((b) => b.t >= 0);
  const factor = chartMergeFactor(raw);
  const buckets = mergeBuckets(raw, factor);
  const widthMs = baseWidth * Math.max(1, factor);
  const plotRight = WIDTH - RIGHT;
  const f: Frame = { x: linearScale(0, domainMs, LEFT, plotRight), domainMs, plotRight };
  const placed = placeFaults(f, journal);
  const faultRows = Math.max(0, ...placed.map((p) => p.row + 1));
  const top = 14 + faultRows * 15;
  const tpY = top + 22;
  const latY = tpY + THROUGHPUT_H + 40;
  const lanes = (journal.lanes ?? []).slice(0, MAX_LANES);
  const lanesY = latY + LATENCY_H + 28;
  const lanesH = lanes.length * (2 * LANE_H + LANE_GAP + ENDPOINT_GAP);
  const harnessY = lanesY + lanesH + (lanes.length ? 0 : 4);
  const harness = harnessLaneSvg(journal, f.x, domainMs, LEFT - 6, harnessY, LANE_H);
  const axisY0 = harnessY + (harness ? LANE_H + ENDPOINT_GAP : 0) + 4;
  const height = axisY0 + 30;
  const laneY = new Map<string, number>();
  const laneParts = lanes.map((lane, i) => {
    const y = lanesY + i * (2 * LANE_H + LANE_GAP + ENDPOINT_GAP);
    laneY.set(lane.endpoint, y + LANE_H + LANE_GAP / 2);
    return `<g class="lane" data-endpoint="${esc(lane.endpoint)}">${laneRow(f, lane, 'breaker', y)}${laneRow(f, lane, 'health', y + LANE_H + LANE_GAP)}</g>`;
  });
  const xTicks = niceTicks(domainMs / 1000, 10).filter((s) => s * 1000 <= domainMs + 1e-6);
  const xAxis = xTicks
    .map((s) => {
      const x = num(f.x(s * 1000));
      return `<line class="grid-x" x1="${x}" x2="${x}" y1="${tpY}" y2="${axisY0}"/><text class="tick" x="${x}" y="${axisY0 + 16}" text-anchor="middle">${formatTick(s)}s</text>`;
    })
    .join('');
  const empty =
    buckets.length === 0
      ? `<text class="empty" x="${(LEFT + plotRight) / 2}" y="${tpY + THROUGHPUT_H / 2}" text-anchor="middle">no timeline recorded</text>`
      : '';
  return [
    `<svg class="timeline" id="timeline-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="Run timeline: throughput, latency, breaker and health per endpoint, the harness's own lag, with fault windows">`,
    xAxis,
    lanes.length
      ? `<text class="panel-title" x="${LEFT}" y="${lanesY - 8}">Breaker and health per endpoint</text>`
      : '',
    faultBands(journal, placed, top, axisY0),
    throughputPanel(f, buckets, widthMs, tpY),
    latencyPanel(f, buckets, widthMs, latY),
    laneParts.join(''),
    harness,
    `<line class="axis" x1="${LEFT}" x2="${plotRight}" y1="${axisY0}" y2="${axisY0}"/>`,
    `<text class="tick" x="${plotRight}" y="${axisY0 + 28}" text-anchor="end">time since load start</text>`,
    empty,
    hoverTargets(f, buckets, widthMs, tpY, latY + LATENCY_H - tpY),
    markerParts(f, journal, laneY, tpY),
    '</svg>',
  ].join('\n');
}
