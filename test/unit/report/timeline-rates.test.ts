/**
 * The timeline chart draws at every rate: journals made by the real statistics (`timeline`, `lanes`) from
 * histories of 10, 50 and 200 calls/s. The latency lines have segments, the throughput is a rate (no comb
 * of empty buckets), nothing is drawn left of the y axis or right of the plot, and markers show process
 * events, deploy steps and the moment traffic left a faulted replica.
 */
import { describe, expect, it } from 'vitest';
import { renderTimelineSvg } from '../../../src/report/index.js';
import { rateJournal as journalAt } from './rate-journal.js';

const PLOT_LEFT = 172;
const PLOT_RIGHT = 1200 - 24;

const xs = (svg: string, re: RegExp) => [...svg.matchAll(re)].map((m) => Number(m[1]));

describe('timeline chart at 10, 50 and 200 calls/s', () => {
  it.each([10, 50, 200])('%i calls/s: connected latency lines, bars inside the plot, markers', (rate) => {
    const svg = renderTimelineSvg(journalAt(rate));
    for (const cls of ['line-p50', 'line-p99']) {
      const d = new RegExp(`class="${cls}" d="([^"]+)"`).exec(svg)?.[1] ?? '';
      const segments = (d.match(/L/g) ?? []).length;
      expect(segments, `${cls} has segments`).toBeGreaterThanOrEqual(19);
      expect((d.match(/M/g) ?? []).length, `${cls} is one connected line`).toBe(1);
      for (const x of xs(d, /[ML]([\d.]+),/g)) {
        expect(x).toBeGreaterThanOrEqual(PLOT_LEFT);
        expect(x).toBeLessThanOrEqual(PLOT_RIGHT);
      }
    }
    const bars = [
      ...svg.matchAll(/<rect class="bar-(\w+)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="([\d.]+)"/g),
    ];
    expect(bars.length).toBeGreaterThanOrEqual(20);
    for (const [, , x, w] of bars) {
      expect(Number(x)).toBeGreaterThanOrEqual(PLOT_LEFT);
      expect(Number(x) + Number(w)).toBeLessThanOrEqual(PLOT_RIGHT + 0.1);
    }
    // no comb: every bar of the load's rate is (nearly) as tall as the others
    const heights = bars.filter(([, k]) => k === 'ok').map(([, , , , hh]) => Number(hh));
    expect(Math.min(...heights.slice(0, -1)) / Math.max(...heights)).toBeGreaterThan(0.6);
    expect(svg).toContain('<g class="marker" data-kind="process">');
    expect(svg).toContain('<g class="marker" data-kind="deploy">');
    expect(svg).toMatch(
      /data-kind="traffic-left"><path[^>]*><title>t=\d\.\d+s no new attempt reached w\[1\]/,
    );
  });

  it('draws a lone latency point as a dot', () => {
    const j = journalAt(10);
    const first = j.timeline.findIndex((b) => b.t >= 0 && b.calls > 0);
    const one = j.timeline.map((b, i) => (i === first ? b : { ...b, calls: 0, ok: 0 }));
    const svg = renderTimelineSvg({ ...j, timeline: one });
    expect(svg).toMatch(/<circle class="line-p50" cx="[\d.]+" cy="[\d.]+" r="2.5"\/>/);
  });
});
