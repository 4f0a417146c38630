/**
 * `mcp-chaos run [files|dirs...]`: validates every scenario first (any problem → exit 2, nothing
 * started), then runs them one after another, drawing live progress, writing
 * `<report-dir>/<timestamp>-<scenario>/…` per run plus the runs index and a combined JUnit file, and
 * printing a summary table with the replay command of every failed run.
 *
 * Exit code: the worst over the runs (4 rollback failed > 3 infrastructure > 1 deviated > 0 passed).
 * Ctrl-C / SIGTERM aborts the current run — its rollback still runs — skips the rest and exits 130
 * (143 for SIGTERM), or 4 if that rollback failed. A second Ctrl-C while rolling back is ignored with a
 * note; a third exits at once (leaving whatever the rollback had not yet undone).
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  formatProblem,
  type Journal,
  loadScenarioFile,
  planScenario,
  plansSmallestTimeoutMs,
  preflight,
  runScenario,
  type Scenario,
} from '../../chaos/index.js';
import { errorMessage } from '../../core/index.js';
import { startToxiproxy } from '../../proxy/index.js';
import { failedChecksLines, harnessLines, INCONCLUSIVE_ADVICE } from '../../report/index.js';
import { timeStamp as stamp, timeScaleOption, toxiproxyUrlOption } from '../cli-options.js';
import { EXIT } from '../exit-codes.js';
import { createProgress } from '../progress.js';
import { updateIndex, writeReports, writeRunJunit } from '../write-reports.js';

const USAGE = `usage: mcp-chaos run [files|dirs...] [options]

Runs scenario files (folders: every *.yaml / *.yml inside, not recursive; default: scenarios).

options:
  --seed <n>             seed for every run (default: the scenario's seed, else random)
  --toxiproxy-url <url>  use this Toxiproxy (default $TOXIPROXY_URL, else an embedded one per run)
  --report-dir <dir>     where reports go (default reports)
  --time-scale <f>       multiply every duration by f (default 1; < 1 compresses)
  --only <name>          run only scenarios with this name (repeatable, or comma-separated)
  --no-progress          don't draw the live progress line
  --verbose              log infrastructure steps (processes started, proxies) to stderr
  -h, --help             show this help

exit codes: 0 passed, 1 deviated, 2 invalid input, 3 infrastructure error, 4 rollback failed,
            130/143 interrupted (SIGINT/SIGTERM) with a clean rollback`;

/** Which exit code wins over several runs: rollback failed > infrastructure > deviated > inconclusive > passed. */
const SEVERITY: Record<number, number> = { 0: 0, 5: 1, 1: 2, 3: 3, 4: 4 };

const VERDICT_WORD: Partial<Record<Journal['verdict'], string>> = {
  passed: 'PASS',
  interrupted: 'STOP',
  inconclusive: 'INCONCLUSIVE',
};

/** `mcp-chaos: 28 scenarios: 26 passed, 1 inconclusive, 1 deviated — exit 1 (…)`. */
export function closingLine(journals: readonly Journal[], exit: number): string {
  const counts = new Map<string, number>();
  for (const j of journals) counts.set(j.verdict, (counts.get(j.verdict) ?? 0) + 1);
  const parts = [...counts].map(([verdict, n]) => `${n} ${verdict}`);
  return (
    `mcp-chaos: ${journals.length} scenario(s): ${parts.join(', ') || 'none run'} — exit ${exit} ` +
    '(the worst wins: rollback-failed 4 > infrastructure-error 3 > deviated 1 > inconclusive 5 > passed 0)'
  );
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      seed: { type: 'string' },
      'toxiproxy-url': { type: 'string' },
      'report-dir': { type: 'string' },
      'time-scale': { type: 'string' },
      only: { type: 'string', multiple: true },
      'no-progress': { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

interface Options {
  paths: string[];
  seed?: number;
  toxiproxyUrl?: string;
  reportDir: string;
  timeScale: number;
  only: string[];
  progress: boolean;
  verbose: boolean;
}

function options(args: string[]): Options | { help: true } {
  const { values, positionals } = parse(args);
  if (values.help) return { help: true };
  const o: Options = {
    paths: positionals.length > 0 ? positionals : ['scenarios'],
    reportDir: values['report-dir'] ?? 'reports',
    timeScale: 1,
    only: (values.only ?? []).flatMap((s) => s.split(',')).filter((s) => s !== ''),
    progress: !values['no-progress'],
    verbose: Boolean(values.verbose),
  };
  if (values.seed !== undefined) {
    const seed = Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`--seed must be an integer in [0, 4294967295], got "${values.seed}"`);
    }
    o.seed = seed;
  }
  o.timeScale = timeScaleOption(values['time-scale']);
  const url = toxiproxyUrlOption(values['toxiproxy-url']);
  if (url) o.toxiproxyUrl = url;
  return o;
}

/** Expands folders to their *.yaml / *.yml files (sorted); files are kept as given. */
async function expand(paths: string[]): Promise<{ files: string[]; problems: string[] }> {
  const files: string[] = [];
  const problems: string[] = [];
  for (const p of paths) {
    try {
      const s = await stat(p);
      if (!s.isDirectory()) {
        files.push(p);
        continue;
      }
      const names = (await readdir(p)).filter((n) => /\.ya?ml$/.test(n)).sort();
      if (names.length === 0) problems.push(`${p}: no *.yaml files in this folder`);
      for (const n of names) files.push(join(p, n));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push(`${p}: ${code === 'ENOENT' ? 'no such file or folder' : errorMessage(e)}`);
    }
  }
  return { files, problems };
}

/** Loads every file; returns the scenarios, or every problem found. */
async function loadAll(
  files: string[],
  only: string[],
): Promise<{ scenarios: Scenario[]; problems: string[] }> {
  const scenarios: Scenario[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const result = await loadScenarioFile(file);
    if (!result.ok) {
      for (const p of result.problems) problems.push(formatProblem(p));
      continue;
    }
    const s = result.scenario;
    const first = seen.get(s.name);
    if (first !== undefined) {
      problems.push(`${file}: name "${s.name}" is already used by ${first} (names must be unique in a run)`);
      continue;
    }
    seen.set(s.name, file);
    if (only.length === 0 || only.includes(s.name)) scenarios.push(s);
  }
  if (only.length > 0) {
    for (const name of only) if (!seen.has(name)) problems.push(`--only ${name}: no scenario has this name`);
  }
  return { scenarios, problems };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

function table(rows: Journal[]): string {
  const head = ['scenario', 'verdict', 'exit', 'calls', 'availability', 'p99', 'seed'];
  const body = rows.map((j) => [
    j.scenario.name,
    j.verdict,
    String(j.exitCode),
    String(j.summary.calls),
    // a run without calls has no figures: no made-up 100 % / 0 ms
    j.summary.calls > 0 ? pct(j.summary.availability) : '–',
    j.summary.calls > 0 ? `${Math.round(j.summary.p99Ms)}ms` : '–',
    String(j.seed),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export async function run(args: string[]): Promise<number> {
  let o: Options | { help: true };
  try {
    o = options(args);
  } catch (e) {
    process.stderr.write(`mcp-chaos run: ${errorMessage(e)}\n\n${USAGE}\n`);
    return EXIT.INVALID_INPUT;
  }
  if ('help' in o) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.OK;
  }
  const { files, problems: pathProblems } = await expand(o.paths);
  const { scenarios, problems } = await loadAll(files, o.only);
  const allProblems = [...pathProblems, ...problems];
  if (allProblems.length > 0) {
    for (const p of allProblems) process.stderr.write(`${p}\n`);
    process.stderr.write(`mcp-chaos run: ${allProblems.length} problem(s); nothing was run\n`);
    return EXIT.INVALID_INPUT;
  }

  const abort = new AbortController();
  let interrupted: number | undefined;
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      interrupted = sig === 'SIGTERM' ? 143 : 130;
      process.stderr.write(`\nmcp-chaos run: ${sig}: stopping; rolling back the current run…\n`);
      abort.abort(new Error(`interrupted by ${sig}`));
    } else if (signals === 2) {
      process.stderr.write('mcp-chaos run: rollback in progress; press Ctrl-C again to quit without it\n');
    } else {
      process.exit(interrupted ?? 130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // a preflight: is this machine keeping time well enough for these scenarios' smallest timeouts?
  const plans = scenarios.map((s) => planScenario(s, { timeScale: o.timeScale }));
  const pre = await preflight(plansSmallestTimeoutMs(plans), { signal: abort.signal });
  process.stderr.write(`preflight: ${pre.message}\n`);

  const journals: Journal[] = [];
  const reportRoot = resolve(o.reportDir);
  try {
    for (const scenario of scenarios) {
      if (abort.signal.aborted) break;
      const progress = o.progress ? createProgress({ stream: process.stderr }) : undefined;
      const journal = await runScenario(scenario, {
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
        ...(o.toxiproxyUrl !== undefined ? { toxiproxyUrl: o.toxiproxyUrl } : {}),
        startToxiproxy: ({ seed }) => startToxiproxy({ host: '127.0.0.1', port: 0, seed }),
        timeScale: o.timeScale,
        signal: abort.signal,
        file: scenario.file,
        preflight: pre,
        onProgress: (p) => progress?.update(p),
        log: (entry) => {
          if (o.verbose || entry.level === 'warn' || entry.level === 'error') {
            const fields = entry.fields ? ` ${JSON.stringify(entry.fields)}` : '';
            const text = `[${entry.level}] ${entry.msg}${fields}`;
            if (progress) progress.note(text);
            else process.stderr.write(`${text}\n`);
          }
        },
      });
      // Keep the run's summary for the table and the combined JUnit; the full history is in journal.json.
      journals.push({ ...journal, history: undefined });
      const word = VERDICT_WORD[journal.verdict] ?? 'FAIL';
      const line = `${word} ${scenario.name} (${journal.verdict}, seed ${journal.seed})`;
      if (progress) progress.done(line);
      else process.stderr.write(`${line}\n`);
      // a failed run says why, here, not only in its reports
      if (journal.verdict !== 'interrupted')
        for (const why of failedChecksLines(journal)) process.stderr.write(`  ${why}\n`);
      try {
        const dir = join(reportRoot, `${stamp(new Date(journal.startedAt))}-${basename(scenario.name)}`);
        await writeReports(journal, dir);
        process.stderr.write(`  reports: ${dir}\n`);
      } catch (e) {
        process.stderr.write(`mcp-chaos run: cannot write reports: ${errorMessage(e)}\n`);
      }
    }
    if (journals.length > 0) {
      try {
        await updateIndex(reportRoot);
        await writeRunJunit(journals, join(reportRoot, 'junit.xml'));
      } catch (e) {
        process.stderr.write(`mcp-chaos run: cannot write the runs index: ${errorMessage(e)}\n`);
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  process.stdout.write(`\n${table(journals)}\n`);
  // an interrupted run is no verdict on the system: no failing checks, no replay hint
  const failed = journals.filter((j) => j.exitCode !== 0 && j.verdict !== 'interrupted');
  for (const j of failed) {
    process.stdout.write(`\n${j.scenario.name}: ${j.verdict}`);
    for (const why of failedChecksLines(j)) process.stdout.write(`\n  ${why}`);
    for (const e of j.errors.slice(1, 5)) process.stdout.write(`\n  error: ${e}`);
    if (j.verdict === 'inconclusive')
      for (const line of [INCONCLUSIVE_ADVICE, ...harnessLines(j).slice(0, 3)])
        process.stdout.write(`\n  ${line}`);
    process.stdout.write(`\n  replay with:\n    ${j.replay}\n`);
  }
  let worst = 0;
  for (const j of journals) if ((SEVERITY[j.exitCode] ?? 0) > (SEVERITY[worst] ?? 0)) worst = j.exitCode;
  process.stdout.write(`\n${closingLine(journals, worst)}\n`);
  if (interrupted !== undefined && worst !== EXIT.ROLLBACK_FAILED) {
    if (journals.length < scenarios.length)
      process.stdout.write(`\ninterrupted: ${scenarios.length - journals.length} scenario(s) not run\n`);
    return interrupted;
  }
  return worst;
}
