/**
 * Renders the realistic fixture journal to disk and opens it in headless Chromium through
 * scripts/screenshot-report.mjs: the page must load without console messages (no JS errors, nothing
 * blocked by the CSP), the DOM must hold the chart, and the screenshot must be a real image.
 * Needs /usr/bin/chromium (`apt-get install -y chromium`); MCP_CHAOS_SKIP_BROWSER=1 skips it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../../src/cli/write-reports.js';
import { makeJournal } from '../../unit/report/fixture-journal.js';
import { rateJournal } from '../../unit/report/rate-journal.js';

const run = promisify(execFile);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const skip = process.env.MCP_CHAOS_SKIP_BROWSER === '1';

describe.skipIf(skip)('HTML report in headless Chromium', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('loads cleanly, shows the timeline chart and screenshots to a non-trivial PNG', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}. Install it with 'apt-get update && apt-get install -y chromium', ` +
          'or set MCP_CHAOS_SKIP_BROWSER=1 to skip this test.',
      );
    }
    const dir = await mkdtemp(join(tmpdir(), 'mcp-chaos-html-'));
    dirs.push(dir);
    const { files } = await writeReports(makeJournal(), dir, { stepSummaryPath: null });
    const html = files.find((f) => f.endsWith('report.html')) as string;
    const png = join(dir, 'report.png');
    const domFile = join(dir, 'dom.html');
    const { stdout } = await run(
      process.execPath,
      ['scripts/screenshot-report.mjs', html, png, '--dom', domFile],
      {
        timeout: 120_000,
      },
    ).catch((e: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`screenshot-report failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    });
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      ok: boolean;
      problems: string[];
      consoleErrors: string[];
      chart: {
        svg: number;
        bars: number;
        faultBands: number;
        lanes: number;
        harnessCells: number;
        scripts: number;
      };
    };
    expect(result.problems).toEqual([]);
    expect(result.consoleErrors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.chart).toEqual({ svg: 1, bars: 48, faultBands: 2, lanes: 3, harnessCells: 12, scripts: 0 });

    const pngBytes = await readFile(png);
    expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect((await stat(png)).size).toBeGreaterThan(50_000);
    // IHDR: width and height as rendered (1400×1800 window)
    expect(pngBytes.readUInt32BE(16)).toBe(1400);
    expect(pngBytes.readUInt32BE(20)).toBe(1800);

    const dom = await readFile(domFile, 'utf8');
    expect(dom).toContain('<svg class="timeline" id="timeline-chart"');
    expect(dom).toContain('data-panel="throughput"');
    expect(dom).toContain('data-panel="latency"');
    expect(dom).toContain('data-fault="weather-1-down"');
    // the harness lane: a cell per second, the starved one red, and the Harness section under the chart
    expect(dom).toContain('data-lane="harness"');
    expect(dom).toMatch(/data-state="starved"[^>]*fill="#cf222e"/);
    expect(dom).toContain('Starved [6.00s, 7.00s): event loop blocked up to 420ms');
  });

  it('draws at 10 calls/s: a connected latency line, markers, nothing outside the plot', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
    const dir = await mkdtemp(join(tmpdir(), 'mcp-chaos-html-'));
    dirs.push(dir);
    const { files } = await writeReports(rateJournal(10), dir, { stepSummaryPath: null });
    const html = files.find((f) => f.endsWith('report.html')) as string;
    const domFile = join(dir, 'dom.html');
    const { stdout } = await run(
      process.execPath,
      ['scripts/screenshot-report.mjs', html, join(dir, 'report.png'), '--dom', domFile],
      { timeout: 120_000 },
    );
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { ok: boolean; problems: string[] };
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    const dom = await readFile(domFile, 'utf8');
    const p50 = /class="line-p50" d="([^"]+)"/.exec(dom)?.[1] ?? '';
    expect((p50.match(/L/g) ?? []).length).toBeGreaterThanOrEqual(19);
    expect(dom).toContain('data-kind="traffic-left"');
    const xs = [...dom.matchAll(/<rect class="bar-ok" x="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(172);
  });
});
