/**
 * The harness lane of the timeline: one cell per second of how late the harness itself ran (the worst of
 * its event-loop delay, its timers' lateness and its load's send lag) — green when it kept time, amber from
 * half the starvation floor, red when starved (a time-caused failure there may be inconclusive).
 */
import type { HarnessSample, Journal } from '../chaos/journal.js';
import { escapeHtml as esc } from './escape.js';
import { formatT } from './format.js';

export const HARNESS_COLORS = { fine: '#2da44e', busy: '#d4a72c', starved: '#cf222e' } as const;

const num = (v: number) => (Math.round(v * 10) / 10).toString();

function lagOf(s: HarnessSample): number {
  return Math.max(s.loopMaxMs, s.timerLateMaxMs, s.sendLagMaxMs);
}

/** The lane's SVG at `y` (height `h`), or '' when the journal has no harness samples. */
export function harnessLaneSvg(
  journal: Journal,
  x: (t: number) => number,
  domainMs: number,
  labelX: number,
  y: number,
  h: number,
): string {
  const lane = journal.harness;
  if (!lane || lane.samples.length === 0) return '';
  const floor = lane.floorMs;
  const parts = [
    `<text class="lane-label" x="${labelX}" y="${num(y + h / 2)}" text-anchor="end" dominant-baseline="middle">harness lag</text>`,
  ];
  for (const s of lane.samples) {
    const from = Math.max(0, s.t);
    const to = Math.min(domainMs, s.t + s.ms);
    if (!(to > from)) continue;
    const lag = lagOf(s);
    const lostFloor = lane.lostFloorMs ?? Number.POSITIVE_INFINITY;
    const pressure = s.cpuPressure ?? 0;
    const pressureFloor = lane.pressureFloor ?? Number.POSITIVE_INFINITY;
    const state =
      lag >= floor || s.lostMs >= lostFloor || pressure >= pressureFloor
        ? 'starved'
        : lag >= floor / 2 || s.lostMs >= lostFloor / 2 || pressure >= pressureFloor / 2
          ? 'busy'
          : 'fine';
    const text =
      `harness ${formatT(s.t)}–${formatT(s.t + s.ms)}: ${state}; loop delay p99 ${Math.round(s.loopP99Ms)}ms, ` +
      `max ${Math.round(s.loopMaxMs)}ms; timers up to ${Math.round(s.timerLateMaxMs)}ms late, ${Math.round(s.lostMs)}ms lost; load sent up to ` +
      `${Math.round(s.sendLagMaxMs)}ms late; CPU share ${s.cpuShare.toFixed(2)}; machine ${Math.round(s.machineBusy * 100)}% busy` +
      (s.cpuPressure !== undefined
        ? `; tasks waited for a CPU ${Math.round(s.cpuPressure * 100)}% of the time`
        : '');
    const x0 = x(from);
    parts.push(
      `<rect class="lane-seg harness-seg" data-state="${state}" x="${num(x0)}" y="${num(y)}" width="${num(Math.max(0.5, x(to) - x0))}" height="${h}" fill="${HARNESS_COLORS[state]}"><title>${esc(text)}</title></rect>`,
    );
  }
  return `<g class="lane harness-lane" data-lane="harness">${parts.join('')}</g>`;
}
