/**
 * `npm run bench [-- --quick] [-- --only macro,proxy] [-- --compare bench/baseline.json --tolerance 0.25]`
 *
 * Runs every benchmark in one process — micro (manager hot paths, history append, invariant checking),
 * proxy, manager, macro, gateway — prints one table with ratios and target flags, and writes `reports/bench.json`
 * (machine info + every figure). A sub-bench whose module is missing or throws becomes an error row; the
 * run goes on and exits 1 at the end. With `--compare`, figures worse than the baseline by more than the
 * tolerance are listed and the exit code is 1. Targets are reported PASS/FAIL and never change the exit code.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { BENCH_SECTIONS, type SectionOutput, type TargetResult } from './bench-sections.js';
import { type BenchFigure, type CompareRow, compareBench, regressions } from './compare.js';
import { FAIRNESS_SECTION } from './fairness-section.js';
import { GATEWAY_SECTION } from './gateway-section.js';

const SECTIONS = [...BENCH_SECTIONS, GATEWAY_SECTION, FAIRNESS_SECTION];

interface SectionReport extends Partial<SectionOutput> {
  name: string;
  seconds: number;
  error?: string;
}

/** The shape of reports/bench.json (and bench/baseline.json). */
export interface BenchReport {
  schema: 1;
  date: string;
  machine: {
    cpus: number;
    cpuModel: string;
    totalMemMB: number;
    node: string;
    platform: string;
    arch: string;
    loadavgStart: number[];
    loadavgEnd: number[];
  };
  options: { quick: boolean; only?: string[] };
  seconds: number;
  sections: SectionReport[];
  figures: BenchFigure[];
  targets: TargetResult[];
  errors: Array<{ section: string; message: string }>;
}

function usage(message: string): never {
  console.error(
    `${message}\nusage: npm run bench -- [--quick] [--only a,b] [--compare baseline.json] [--tolerance 0.25] [--out path]`,
  );
  process.exit(2);
}

const options = {
  quick: { type: 'boolean', default: false },
  only: { type: 'string' },
  compare: { type: 'string' },
  tolerance: { type: 'string', default: '0.25' },
  out: { type: 'string', default: 'reports/bench.json' },
} as const;
let values: ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];
try {
  ({ values } = parseArgs({ options }));
} catch (e) {
  usage(e instanceof Error ? e.message : String(e));
}
const tolerance = Number(values.tolerance);
if (!(tolerance >= 0 && tolerance < 10)) {
  usage(`--tolerance must be a number in [0, 10), got ${JSON.stringify(values.tolerance)}`);
}
const only = values.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((n) => !SECTIONS.some((s) => s.name === n)) ?? [];
if (unknown.length > 0) {
  usage(`--only: unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.name).join(', ')}`);
}
let baseline: BenchReport | undefined;
if (values.compare) {
  try {
    baseline = JSON.parse(readFileSync(values.compare, 'utf8')) as BenchReport;
    if (!Array.isArray(baseline.figures)) throw new Error('no "figures" array');
  } catch (e) {
    usage(`--compare ${values.compare}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// Warnings (e.g. the SDK client's MaxListenersExceededWarning under load) are counted, not printed per call.
const warnings = new Map<string, number>();
process.removeAllListeners('warning');
process.on('warning', (w) => warnings.set(w.name, (warnings.get(w.name) ?? 0) + 1));

const loadavgStart = loadavg().map((x) => Math.round(x * 100) / 100);
const started = performance.now();
const sections: SectionReport[] = [];
for (const s of SECTIONS) {
  if (only && !only.includes(s.name)) continue;
  process.stderr.write(`▶ ${s.name}…\n`);
  const t0 = performance.now();
  try {
    const out = await s.run({ quick: values.quick, log: (l) => process.stderr.write(`${l}\n`) });
    sections.push({ name: s.name, seconds: (performance.now() - t0) / 1000, ...out });
  } catch (e) {
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    process.stderr.write(`  ✗ ${s.name}: ${message}\n`);
    sections.push({ name: s.name, seconds: (performance.now() - t0) / 1000, error: message });
  }
}

const report: BenchReport = {
  schema: 1,
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    totalMemMB: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    loadavgStart,
    loadavgEnd: loadavg().map((x) => Math.round(x * 100) / 100),
  },
  options: { quick: values.quick, ...(only ? { only } : {}) },
  seconds: Math.round((performance.now() - started) / 100) / 10,
  sections,
  figures: sections.flatMap((s) => s.figures ?? []),
  targets: sections.flatMap((s) => s.targets ?? []),
  errors: sections.flatMap((s) => (s.error ? [{ section: s.name, message: s.error }] : [])),
};
const outPath = resolve(values.out);
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, `${JSON.stringify(report, null, 2)}\n`);

// ---- printing ----
const fmt = (v: number | undefined): string => {
  if (v === undefined || !Number.isFinite(v)) return '';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
};

function printTable(headers: string[], rows: string[][], right: boolean[]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

const m = report.machine;
console.log(
  `\nmcp-chaos bench — ${report.date} — ${m.cpus}× ${m.cpuModel}, node ${m.node}, ` +
    `load ${m.loadavgStart.join('/')} → ${m.loadavgEnd.join('/')}, ${report.seconds} s${values.quick ? ' (quick)' : ''}\n`,
);
const rows: string[][] = [];
for (const s of sections) {
  if (s.error) {
    rows.push([s.name, 'ERROR', '', '', '', '', '', s.error]);
    continue;
  }
  for (const r of s.table ?? []) {
    rows.push([
      s.name,
      r.name,
      fmt(r.value),
      r.unit,
      fmt(r.p50Ms),
      fmt(r.p99Ms),
      fmt(r.p999Ms),
      r.note ?? '',
    ]);
  }
}
printTable(['section', 'figure', 'value', 'unit', 'p50 ms', 'p99 ms', 'p99.9 ms', 'note'], rows, [
  false,
  false,
  true,
  false,
  true,
  true,
  true,
  false,
]);

if (report.targets.length > 0) {
  console.log('\nTargets');
  printTable(
    ['target', 'measured', 'verdict'],
    report.targets.map((t) => [
      t.name,
      t.measured === undefined ? 'n/a' : `${fmt(t.measured)} ${t.unit}`,
      t.pass === undefined ? 'N/A' : t.pass ? 'PASS' : 'FAIL',
    ]),
    [false, true, false],
  );
}

let regressed: CompareRow[] = [];
if (baseline) {
  const cmp = compareBench(report, baseline, tolerance);
  regressed = regressions(cmp);
  // With --only, the sections not run are missing by design: count them instead of listing them.
  const hideMissing = only !== undefined;
  const shown = cmp.filter(
    (r) => r.status !== 'ok' && r.status !== 'info' && !(hideMissing && r.status === 'missing'),
  );
  const missing = cmp.filter((r) => r.status === 'missing').length;
  console.log(
    `\nCompared with ${values.compare} (${baseline.date}, tolerance ${tolerance * 100} %): ` +
      `${regressed.length} regression(s), ${cmp.filter((r) => r.status === 'improved').length} improved, ` +
      `${cmp.filter((r) => r.status === 'ok').length} within tolerance`,
  );
  if (hideMissing && missing > 0)
    console.log(`  (${missing} baseline figures not measured in this --only run)`);
  if (baseline.options?.quick !== values.quick) {
    console.log(
      `  note: the baseline is a ${baseline.options?.quick ? '--quick' : 'full'} run and this one is ` +
        `${values.quick ? '--quick' : 'full'}: shorter runs warm up less, so figures differ for that reason too`,
    );
  }
  if (shown.length > 0) {
    printTable(
      ['figure', 'baseline', 'current', 'change', 'status'],
      shown.map((r) => [
        r.key,
        fmt(r.baseline),
        fmt(r.current),
        r.change === undefined ? '' : `${r.change > 0 ? '+' : ''}${(r.change * 100).toFixed(1)} %`,
        r.status.toUpperCase(),
      ]),
      [false, true, true, true, false],
    );
  }
}

if (warnings.size > 0)
  console.log(`\nprocess warnings: ${[...warnings].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
console.log(`\nwrote ${values.out}`);
if (report.errors.length > 0) console.log(`${report.errors.length} section(s) failed: exit 1`);
process.exitCode = report.errors.length > 0 || regressed.length > 0 ? 1 : 0;
