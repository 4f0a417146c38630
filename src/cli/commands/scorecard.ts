/**
 * `mcp-chaos scorecard [--sut NAME…] [--mode NAME…]`: runs every failure mode (scorecard/modes) against
 * every system under test (scorecard/suts), one at a time, and writes one table — scorecard.md and
 * scorecard.html — plus each run's reports, into `<report-dir>/scorecard-<time>/`. A SUT failing a mode
 * is a finding, not an error: exit 0 once every pair ran (or was not runnable, e.g. deploys under a
 * black-box SUT); 2 on bad input; 3 when a run hit an infrastructure error; 130/143 when interrupted.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  formatProblem,
  loadModes,
  loadSuts,
  pairScenario,
  planScenario,
  plansSmallestTimeoutMs,
  preflight,
  runScorecard,
  type ScoreCell,
} from '../../chaos/index.js';
import { errorMessage } from '../../core/index.js';
import { startToxiproxy } from '../../proxy/index.js';
import { cellText, renderScorecardHtml, renderScorecardMarkdown } from '../../report/index.js';
import { parseOrUsage, timeStamp as stamp, timeScaleOption, toxiproxyUrlOption } from '../cli-options.js';
import { EXIT } from '../exit-codes.js';
import { writeReports } from '../write-reports.js';

const USAGE = `usage: mcp-chaos scorecard [options]

Runs every failure mode against every system under test (gateways and proxies, judged black-box) and
writes one table: which modes each survives, availability, p99 and time to recover.

options:
  --sut <name>           only this SUT (repeatable or comma-separated; default: every file in --suts)
  --mode <name>          only this failure mode (repeatable or comma-separated)
  --suts <dir>           SUT definitions (default scorecard/suts)
  --modes <dir>          failure modes (default scorecard/modes)
  --report-dir <dir>     where the scorecard folder goes (default reports)
  --time-scale <f>       multiply every duration by f (default 1)
  --toxiproxy-url <url>  use this Toxiproxy (default $TOXIPROXY_URL, else an embedded one per run)
  -h, --help             show this help

exit codes: 0 every pair ran, 2 invalid input, 3 infrastructure error, 130/143 interrupted
`;

interface Options {
  suts: string[];
  modes: string[];
  sutsDir: string;
  modesDir: string;
  reportDir: string;
  timeScale: number;
  toxiproxyUrl?: string;
}

const list = (v: string[] | undefined) => (v ?? []).flatMap((s) => s.split(',')).filter((s) => s !== '');

function parse(args: string[]): Options | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      sut: { type: 'string', multiple: true },
      mode: { type: 'string', multiple: true },
      suts: { type: 'string' },
      modes: { type: 'string' },
      'report-dir': { type: 'string' },
      'time-scale': { type: 'string' },
      'toxiproxy-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new RangeError(`unexpected argument "${positionals[0]}"`);
  const o: Options = {
    suts: list(values.sut),
    modes: list(values.mode),
    sutsDir: values.suts ?? 'scorecard/suts',
    modesDir: values.modes ?? 'scorecard/modes',
    reportDir: values['report-dir'] ?? 'reports',
    timeScale: 1,
  };
  o.timeScale = timeScaleOption(values['time-scale']);
  const url = toxiproxyUrlOption(values['toxiproxy-url']);
  if (url) o.toxiproxyUrl = url;
  return o;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseOrUsage('scorecard', USAGE, () => parse(args));
  if ('exit' in parsed) return parsed.exit;
  const o = parsed.value;
  let suts: Awaited<ReturnType<typeof loadSuts>>;
  let modes: Awaited<ReturnType<typeof loadModes>>;
  try {
    suts = await loadSuts(o.sutsDir, o.suts);
    modes = await loadModes(o.modesDir, o.modes);
  } catch (e) {
    process.stderr.write(`mcp-chaos scorecard: ${errorMessage(e)}\n`);
    return EXIT.INVALID_INPUT;
  }
  const problems = [...(suts.ok ? [] : suts.problems), ...(modes.ok ? [] : modes.problems)];
  if (!suts.ok || !modes.ok) {
    for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
    process.stderr.write(`mcp-chaos scorecard: ${problems.length} problem(s); nothing was run\n`);
    return EXIT.INVALID_INPUT;
  }
  const abort = new AbortController();
  let interrupted: number | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupted ??= sig === 'SIGTERM' ? 143 : 130;
    abort.abort(new Error(`interrupted by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const startedAt = new Date();
  const dir = resolve(join(o.reportDir, `scorecard-${stamp(startedAt)}`));
  // a preflight against the shortest timeout of every pairing that will run
  const plans = suts.items.flatMap((sut) =>
    modes.items.flatMap((mode) => {
      const pair = pairScenario(mode, sut);
      return 'problems' in pair ? [] : [planScenario(pair.scenario, { timeScale: o.timeScale })];
    }),
  );
  const pre = await preflight(plansSmallestTimeoutMs(plans), { signal: abort.signal });
  process.stderr.write(`preflight: ${pre.message}\n`);
  let cells: ScoreCell[];
  try {
    cells = await runScorecard(suts.items, modes.items, {
      run: {
        preflight: pre,
        ...(o.toxiproxyUrl !== undefined ? { toxiproxyUrl: o.toxiproxyUrl } : {}),
        startToxiproxy: ({ seed }) => startToxiproxy({ host: '127.0.0.1', port: 0, seed }),
        timeScale: o.timeScale,
        signal: abort.signal,
      },
      onStart: (sut, mode) => process.stderr.write(`${mode} × ${sut} …\n`),
      onRun: async (journal, cell) => {
        process.stderr.write(`  ${cellText(cell)}\n`);
        await writeReports(journal, join(dir, 'runs', journal.scenario.name), { stepSummaryPath: null });
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  for (const c of cells)
    if (c.status === 'not-run') process.stderr.write(`${c.mode} × ${c.sut}: not run: ${c.notes[0] ?? ''}\n`);
  const meta = {
    startedAt: startedAt.toISOString(),
    node: process.versions.node,
    timeScale: o.timeScale,
    suts: suts.items.map((s) => ({ name: s.name, description: s.description })),
    modes: modes.items.map((m) => ({ name: m.name, description: m.description })),
  };
  const md = renderScorecardMarkdown(cells, meta);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'scorecard.md'), md, 'utf8');
  await writeFile(join(dir, 'scorecard.html'), renderScorecardHtml(cells, meta), 'utf8');
  process.stdout.write(`${md}\nscorecard: ${join(dir, 'scorecard.md')}\n`);
  if (interrupted !== undefined) return interrupted;
  return cells.some((c) => c.status === 'error') ? EXIT.INFRASTRUCTURE : EXIT.OK;
}
