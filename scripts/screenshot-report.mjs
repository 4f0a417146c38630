#!/usr/bin/env node
/**
 * Renders an mcp-chaos HTML report in headless Chromium: takes a PNG screenshot and checks the page.
 *
 *   node scripts/screenshot-report.mjs <report.html> <out.png> [--dom <dom.html>] [--size 1400,1800]
 *
 * Checks: the page logged nothing to the console (the report has no script, and its CSP blocks every
 * fetch, so any console message — a JS error or a blocked external load — is a defect), the dumped DOM
 * contains the timeline SVG with bars, fault bands and lanes, and the PNG is written.
 * Prints one JSON line with the result. Exit 0 ok, 1 page problems, 2 usage, 3 Chromium missing/failed.
 * Chromium: `apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM=/path/to/chrome.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT_MS = 90_000;

function usage(msg) {
  process.stderr.write(
    `${msg}\nusage: node scripts/screenshot-report.mjs <report.html> <out.png> [--dom <dom.html>] [--size W,H]\n`,
  );
  process.exit(2);
}

/** Runs Chromium headless with `extra` flags; resolves {code, stdout, stderr}. */
function chromium(userDataDir, extra, url) {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    `--user-data-dir=${userDataDir}`,
    ...extra,
    url,
  ];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Console lines Chromium logs with --enable-logging=stderr: `...:INFO:CONSOLE:12] "message", source: ...`. */
export function consoleMessages(stderr) {
  return stderr
    .split('\n')
    .filter((l) => l.includes(':CONSOLE') && l.includes(']'))
    .map((l) => l.slice(l.indexOf(']') + 1).trim());
}

/** Counts occurrences of a literal substring. */
function count(haystack, needle) {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** What the dumped DOM must contain for the report to count as rendered. */
export function checkDom(dom) {
  const problems = [];
  const chart = {
    svg: count(dom, 'id="timeline-chart"'),
    bars: count(dom, 'class="bar-ok"'),
    faultBands: count(dom, 'class="fault-band"'),
    lanes: count(dom, 'class="lane"'),
    harnessCells: count(dom, 'class="lane-seg harness-seg"'),
    scripts: count(dom.toLowerCase(), '<script'),
  };
  if (chart.svg !== 1) problems.push(`expected one <svg id="timeline-chart">, found ${chart.svg}`);
  if (!dom.includes('</svg>')) problems.push('the timeline SVG is not closed');
  if (chart.scripts > 0) problems.push(`the page contains ${chart.scripts} <script> element(s)`);
  return { chart, problems };
}

async function main(argv) {
  const positional = [];
  let domOut;
  let size = '1400,1800';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dom') domOut = argv[++i];
    else if (a === '--size') size = argv[++i];
    else if (a === '-h' || a === '--help') usage('Screenshots and checks an mcp-chaos HTML report.');
    else positional.push(a);
  }
  const [input, output] = positional;
  if (!input || !output || positional.length > 2) usage('expected <report.html> <out.png>');
  if (!/^\d+,\d+$/.test(size ?? '')) usage(`--size must be W,H, got ${size}`);
  if (!existsSync(input)) usage(`no such file: ${input}`);
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(
      `Chromium not found at ${CHROMIUM}: install it with 'apt-get update && apt-get install -y chromium' (or set CHROMIUM)\n`,
    );
    process.exit(3);
  }
  const url = pathToFileURL(resolve(input)).href;
  const png = resolve(output);
  const userDataDir = await mkdtemp(join(tmpdir(), 'mcp-chaos-chromium-'));
  try {
    const dump = await chromium(userDataDir, ['--enable-logging=stderr', '--v=0', '--dump-dom'], url);
    if (dump.code !== 0)
      throw new Error(`chromium --dump-dom exited ${dump.code}: ${dump.stderr.slice(-2000)}`);
    const shot = await chromium(userDataDir, [`--screenshot=${png}`, `--window-size=${size}`], url);
    if (shot.code !== 0)
      throw new Error(`chromium --screenshot exited ${shot.code}: ${shot.stderr.slice(-2000)}`);
    if (domOut) await writeFile(domOut, dump.stdout);
    const { chart, problems } = checkDom(dump.stdout);
    const consoleErrors = consoleMessages(dump.stderr);
    for (const m of consoleErrors) problems.push(`console: ${m}`);
    const pngBytes = existsSync(png) ? (await stat(png)).size : 0;
    if (pngBytes < 10_000) problems.push(`screenshot ${png} is missing or tiny (${pngBytes} bytes)`);
    const result = {
      ok: problems.length === 0,
      png,
      pngBytes,
      domBytes: dump.stdout.length,
      chart,
      consoleErrors,
      problems,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return result.ok ? 0 : 1;
  } finally {
    await rm(userDataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`screenshot-report: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
