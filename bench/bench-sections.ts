/**
 * The sections of `npm run bench`: each loads its sub-bench module by path (so a missing or broken one is an
 * error row, not a crash), runs it, and turns its result into comparable figures, table rows and targets.
 */
import type { BenchFigure } from './compare.js';

/** One line of the printed table. */
export interface TableRow {
  name: string;
  value?: number;
  unit: string;
  p50Ms?: number;
  p99Ms?: number;
  p999Ms?: number;
  note?: string;
}

/** A stated goal: PASS when `measured` is at least `target` (undefined = could not be measured). */
export interface TargetResult {
  name: string;
  target: number;
  measured?: number;
  unit: string;
  pass?: boolean;
}

export interface SectionOutput {
  figures: BenchFigure[];
  table: TableRow[];
  targets?: TargetResult[];
  /** The sub-bench's own result, as returned. */
  raw: unknown;
}

export interface Section {
  name: string;
  run(ctx: { quick: boolean; log: (line: string) => void }): Promise<SectionOutput>;
}

/** Imports a sub-bench module by path (so a missing one is an error row, not a crash) and finds `fn`. */
export async function load<F>(file: string, fn: string): Promise<F> {
  const specifier: string = `./${file}`;
  const mod = (await import(specifier)) as Record<string, unknown>;
  if (typeof mod[fn] !== 'function') throw new Error(`bench/${file} does not export ${fn}()`);
  return mod[fn] as F;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9×.]+/g, '-')
    .replace(/^-|-$/g, '');
export const higher = (key: string, value: number, unit: string): BenchFigure => ({
  key,
  value,
  unit,
  better: 'higher',
});
/** Latency figures: changes under 0.25 ms are never regressions (timer and scheduling noise). */
export const lower = (key: string, value: number, unit = 'ms'): BenchFigure => ({
  key,
  value,
  unit,
  better: 'lower',
  absTolerance: 0.25,
});
/** A cost figure (lower is better) judged by its relative change only. */
export const lowerBy = (key: string, value: number, unit: string): BenchFigure => ({
  key,
  value,
  unit,
  better: 'lower',
});
export const atLeast = (name: string, target: number, unit: string, measured?: number): TargetResult => ({
  name,
  target,
  unit,
  ...(measured === undefined || !Number.isFinite(measured) ? {} : { measured, pass: measured >= target }),
});
const flag = (t: TargetResult): string =>
  t.pass === undefined
    ? ''
    : `≥ ${t.target.toLocaleString('en-US')}${t.unit === '×' ? '×' : ` ${t.unit}`} ${t.pass ? 'PASS' : 'FAIL'}`;

interface OpsRow {
  name: string;
  opsPerSec: number;
  meanNs: number;
}
const opsSection = (prefix: string, unit: string, per: string, rows: OpsRow[]): SectionOutput => ({
  raw: rows,
  figures: rows.map((r) => higher(`${prefix}.${slug(r.name)}`, r.opsPerSec, unit)),
  table: rows.map((r) => ({
    name: r.name,
    value: r.opsPerSec,
    unit,
    note: `${r.meanNs.toFixed(1)} ns/${per}`,
  })),
});

interface MacroRowLike {
  name: string;
  transport: string;
  concurrency: number;
  callsPerSec: number;
  rateCallsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  errors: number;
  firstError?: string;
}
interface MacroResultLike {
  rows: MacroRowLike[];
  ratios: Record<string, number | undefined>;
}

export const BENCH_SECTIONS: Section[] = [
  {
    name: 'manager-micro',
    run: async ({ quick }) => {
      const bench = await load<(t?: number) => Promise<OpsRow[]>>(
        'manager-micro.bench.js',
        'benchManagerMicro',
      );
      return opsSection('micro', 'ops/s', 'op', await bench(quick ? 150 : 300));
    },
  },
  {
    name: 'history-append',
    run: async ({ quick }) => {
      const bench = await load<(t?: number) => Promise<OpsRow[]>>(
        'history-append.bench.js',
        'benchHistoryAppend',
      );
      return opsSection('history', 'events/s', 'event', await bench(quick ? 150 : 300));
    },
  },
  {
    name: 'invariants',
    run: async ({ quick }) => {
      type R = { events: number; seconds: number; eventsPerSec: number; failed?: string[] };
      const bench = await load<(n?: number, rounds?: number) => Promise<R>>(
        'invariants.bench.js',
        'benchInvariants',
      );
      const r = await bench(quick ? 300_000 : 1_000_000, quick ? 1 : 3);
      const target = atLeast('invariant checking ≥ 1M events/s', 1_000_000, 'events/s', r.eventsPerSec);
      const failed = r.failed?.length ? `; ${r.failed.length} invariant(s) did not hold!` : '';
      return {
        raw: r,
        figures: [
          higher('invariants.eventsPerSec', r.eventsPerSec, 'events/s'),
          { key: 'invariants.events', value: r.events, unit: 'events', better: 'info' },
        ],
        table: [
          {
            name: `all invariants + stats over ${r.events.toLocaleString('en-US')} events`,
            value: r.eventsPerSec,
            unit: 'events/s',
            note: `${(r.seconds * 1000).toFixed(0)} ms/run; ${flag(target)}${failed}`,
          },
        ],
        targets: [target],
      };
    },
  },
  {
    name: 'proxy',
    run: async ({ quick }) => {
      type R = Record<
        | 'directMBps'
        | 'proxiedMBps'
        | 'throughputRatio'
        | 'directConnsPerSec'
        | 'proxiedConnsPerSec'
        | 'connRatio',
        number
      >;
      const bench = await load<(o: { durationMs?: number }) => Promise<R>>('proxy.bench.js', 'benchProxy');
      const r = await bench({ durationMs: quick ? 1500 : 4000 });
      return {
        raw: r,
        figures: [
          higher('proxy.directMBps', r.directMBps, 'MB/s'),
          higher('proxy.proxiedMBps', r.proxiedMBps, 'MB/s'),
          higher('proxy.throughputRatio', r.throughputRatio, '×'),
          higher('proxy.directConnsPerSec', r.directConnsPerSec, 'conns/s'),
          higher('proxy.proxiedConnsPerSec', r.proxiedConnsPerSec, 'conns/s'),
          higher('proxy.connRatio', r.connRatio, '×'),
        ],
        table: [
          { name: 'TCP bulk, direct', value: r.directMBps, unit: 'MB/s' },
          {
            name: 'TCP bulk, through proxy',
            value: r.proxiedMBps,
            unit: 'MB/s',
            note: `${fmtRatio(r.throughputRatio)} of direct`,
          },
          { name: 'TCP connects, direct', value: r.directConnsPerSec, unit: 'conns/s' },
          {
            name: 'TCP connects, through proxy',
            value: r.proxiedConnsPerSec,
            unit: 'conns/s',
            note: `${fmtRatio(r.connRatio)} of direct`,
          },
        ],
      };
    },
  },
  {
    name: 'manager',
    run: async ({ quick }) => {
      type Row = {
        name: string;
        transport: string;
        concurrency: number;
        callsPerSec: number;
        p50Ms: number;
        p99Ms: number;
        errors?: number;
        vsBare?: number;
        cpuUsPerCall?: number;
        cpuVsBare?: number;
      };
      const bench = await load<(o: { durationMs?: number }) => Promise<Row[] | { rows: Row[] }>>(
        'manager.bench.js',
        'benchManager',
      );
      const out = await bench({ durationMs: quick ? 1000 : 3000 });
      const rows = Array.isArray(out) ? out : out.rows;
      const key = (r: Row) => `manager.${r.transport}.${slug(r.name)}.c${r.concurrency}`;
      return {
        raw: out,
        figures: rows.flatMap((r) => [
          higher(`${key(r)}.callsPerSec`, r.callsPerSec, 'calls/s'),
          lower(`${key(r)}.p50Ms`, r.p50Ms),
          lower(`${key(r)}.p99Ms`, r.p99Ms),
          ...(r.vsBare === undefined ? [] : [higher(`${key(r)}.vsBare`, r.vsBare, '×')]),
          ...(r.cpuUsPerCall === undefined ? [] : [lowerBy(`${key(r)}.cpuUsPerCall`, r.cpuUsPerCall, 'µs')]),
          ...(r.cpuVsBare === undefined ? [] : [lowerBy(`${key(r)}.cpuVsBare`, r.cpuVsBare, '×')]),
        ]),
        table: rows.map((r) => ({
          name: `${r.transport} ${r.name} ×${r.concurrency}`,
          value: r.callsPerSec,
          unit: 'calls/s',
          p50Ms: r.p50Ms,
          p99Ms: r.p99Ms,
          note: [
            r.vsBare === undefined ? '' : `${fmtRatio(r.vsBare)} bare (alternating rounds)`,
            r.cpuUsPerCall === undefined ? '' : `CPU ${r.cpuUsPerCall.toFixed(1)} µs/call`,
            r.cpuVsBare === undefined ? '' : `CPU ${fmtRatio(r.cpuVsBare)} bare`,
            r.errors ? `${r.errors} errors` : '',
          ]
            .filter(Boolean)
            .join('; '),
        })),
      };
    },
  },
  {
    name: 'macro',
    run: async ({ quick, log }) => {
      type Opts = { durationMs?: number; warmupMs?: number; log?: (l: string) => void };
      const bench = await load<(o: Opts) => Promise<MacroResultLike>>('macro.bench.js', 'benchMacro');
      const r = await bench({ durationMs: quick ? 1000 : 3000, warmupMs: quick ? 300 : 500, log });
      const find = (t: string, n: string) => r.rows.find((x) => x.transport === t && x.name === n);
      const targets = [
        atLeast('manager ≥ 0.9× bare client (HTTP)', 0.9, '×', r.ratios.httpManagerVsBare),
        atLeast('manager ≥ 0.9× bare client (stdio)', 0.9, '×', r.ratios.stdioManagerVsBare),
        atLeast(
          'manager + proxy ≥ 1,500 calls/s (HTTP)',
          1500,
          'calls/s',
          find('http', 'manager + proxy')?.callsPerSec,
        ),
        atLeast('manager ≥ 10,000 calls/s (stdio)', 10_000, 'calls/s', find('stdio', 'manager')?.callsPerSec),
      ];
      const [httpRatio, stdioRatio, proxyRate, stdioRate] = targets as [
        TargetResult,
        TargetResult,
        TargetResult,
        TargetResult,
      ];
      // Ratio of each row's capacity to its reference row, and the targets that judge the row.
      const notesFor: Record<string, string[]> = {
        'http manager': [`${fmtRatio(r.ratios.httpManagerVsBare)} bare`, flag(httpRatio)],
        'http manager + proxy': [`${fmtRatio(r.ratios.httpProxyVsManager)} manager`, flag(proxyRate)],
        [`http manager + proxy + latency ${latencyMs(r)}ms`]: [
          `${fmtRatio(r.ratios.httpLatencyToxicVsProxy)} proxy`,
        ],
        'http-child manager': [`${fmtRatio(r.ratios.httpChildManagerVsBare)} bare`],
        'http-child manager + proxy': [`${fmtRatio(r.ratios.httpChildProxyVsManager)} manager`],
        'stdio manager': [`${fmtRatio(r.ratios.stdioManagerVsBare)} bare`, flag(stdioRatio), flag(stdioRate)],
      };
      const table: TableRow[] = r.rows.map((x) => {
        const id = `${x.transport} ${x.name}`;
        const notes = [...(notesFor[id] ?? []), `latency @ ${x.rateCallsPerSec}/s`];
        if (x.errors > 0) notes.push(`${x.errors} errors (${x.firstError ?? '?'})`);
        return {
          name: `${id} ×${x.concurrency}`,
          value: x.callsPerSec,
          unit: 'calls/s',
          p50Ms: x.p50Ms,
          p99Ms: x.p99Ms,
          p999Ms: x.p999Ms,
          note: notes.filter(Boolean).join('; '),
        };
      });
      const figures: BenchFigure[] = r.rows.flatMap((x) => {
        const k = `macro.${x.transport}.${slug(x.name)}`;
        return [
          higher(`${k}.callsPerSec`, x.callsPerSec, 'calls/s'),
          lower(`${k}.p50Ms`, x.p50Ms),
          lower(`${k}.p99Ms`, x.p99Ms),
          lower(`${k}.p999Ms`, x.p999Ms),
        ];
      });
      for (const [k, v] of Object.entries(r.ratios))
        if (v !== undefined) figures.push(higher(`macro.ratio.${k}`, v, '×'));
      return { raw: r, figures, table, targets };
    },
  },
];

/** The latency toxic's ms, read from the row name the macro bench gives configuration (d). */
function latencyMs(r: MacroResultLike): string {
  return r.rows.map((x) => /latency (\d+(?:\.\d+)?)ms/.exec(x.name)?.[1]).find(Boolean) ?? '5';
}

export function fmtRatio(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? 'n/a' : `${v.toFixed(2)}×`;
}
