/**
 * `mcp-chaos explore`: property-based search for fault schedules that break an invariant (see
 * src/chaos/explore). Runs random schedules against the exploration fleet, shrinks the first failing one
 * and writes `<report-dir>/explore-<timestamp>/`: `counterexample.yaml` (runnable scenario), `README.md`
 * (replay command, what broke), the minimal run's reports (journal.json, summary.md, report.html,
 * junit.xml), and always `explore.json` (what was explored).
 *
 * Exit code: 0 no violation found, 1 counterexample written, 2 bad input, 3 infrastructure error (also
 * when any run hit one and no counterexample was found), 130/143 interrupted.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BREAK_PRESETS,
  breakPreset,
  counterexampleText,
  type ExploreConfigInput,
  type ExploreResult,
  explore,
  exploredRunLine,
  exploreSummaryJson,
  type ManagerSection,
  parseInvariantEntry,
  parseManagerSection,
  preflight,
  resolveExploreConfig,
  SCENARIO_SCHEMA_ID,
  scheduleLine,
} from '../../chaos/index.js';
import { errorMessage, formatDuration, parseDuration, randomSeed } from '../../core/index.js';
import { DEFAULT_SETTINGS } from '../../manager/index.js';
import { startToxiproxy } from '../../proxy/index.js';
import { timeStamp as stamp, toxiproxyUrlOption } from '../cli-options.js';
import { EXIT } from '../exit-codes.js';
import { writeReports } from '../write-reports.js';

const USAGE = `usage: mcp-chaos explore [options]

Draws random fault schedules (fast-check) over a fixed fleet — one server "svc" with 3 mock replicas under
100 idempotent calls/s for 5s — runs each through the real runner and checks invariants a correct manager
must satisfy. The first schedule that breaks one is shrunk to a minimal counterexample and written as a
runnable scenario to <report-dir>/explore-<timestamp>/counterexample.yaml (with README.md and reports).

options:
  --runs <n>             random schedules to try (default 20)
  --seed <n>             seed of the search and of every run (default random; printed)
  --time-scale <f>       multiply every duration of the runs (default 0.5)
  --report-dir <dir>     where the explore-<timestamp> folder goes (default reports)
  --manager <file|yaml>  manager section (YAML/JSON file, or inline), merged over the exploration default
  --break <name>         break the manager on purpose: ${Object.keys(BREAK_PRESETS).join(', ')}
  --invariant <entry>    add an invariant: a name or "name: {param: value}" (repeatable)
  --max-faults <n>       at most this many faults per schedule (default 3)
  --process-faults       also kill/pause/restart mock replicas (they then run as child processes; slower)
  --actions <list>       only these fault kinds, comma-separated: down, blackhole, reset-peer,
                         latency-over-timeout, latency-under-timeout, limit-data, bandwidth, slicer,
                         process-kill, process-pause, process-restart (default: all network kinds)
  --duration <d>         load duration of the fleet, nominal (default 5s)
  --rate <n>             calls per second (default 100)
  --replicas <n>         replicas of svc (default 3)
  --time-limit <d>       stop starting runs after this long, shrinking included (e.g. 10m; default none)
  --max-shrinks <n>      at most this many runs spent shrinking (default 40)
  --toxiproxy-url <url>  use this Toxiproxy (default $TOXIPROXY_URL, else an embedded one per run)
  --verbose              log infrastructure steps to stderr
  -h, --help             show this help

exit codes: 0 no violation found, 1 counterexample written, 2 invalid input, 3 infrastructure error`;

interface Options {
  seed: number;
  runs: number;
  timeScale: number;
  reportDir: string;
  config: ExploreConfigInput;
  timeLimitMs?: number;
  maxShrinkRuns: number;
  toxiproxyUrl?: string;
  verbose: boolean;
}

function intOption(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new RangeError(`--${name} must be an integer in [${min}, ${max}], got "${v}"`);
  return n;
}

/** `--manager`: a file, or inline YAML/JSON; `{manager: {...}}` is accepted too. */
async function managerSection(value: string): Promise<ManagerSection> {
  if (existsSync(value)) return parseManagerSection(await readFile(value, 'utf8'), `--manager ${value}`);
  if (!/[:{]/.test(value)) throw new RangeError(`--manager: no such file "${value}"`);
  return parseManagerSection(value);
}

async function options(args: string[]): Promise<Options | { help: true }> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      runs: { type: 'string' },
      seed: { type: 'string' },
      'time-scale': { type: 'string' },
      'report-dir': { type: 'string' },
      manager: { type: 'string' },
      break: { type: 'string' },
      invariant: { type: 'string', multiple: true },
      'max-faults': { type: 'string' },
      'process-faults': { type: 'boolean' },
      actions: { type: 'string' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      replicas: { type: 'string' },
      'time-limit': { type: 'string' },
      'max-shrinks': { type: 'string' },
      'toxiproxy-url': { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  const timeScale = values['time-scale'] === undefined ? 0.5 : Number(values['time-scale']);
  if (!(timeScale > 0) || !Number.isFinite(timeScale))
    throw new RangeError(`--time-scale must be > 0, got "${values['time-scale']}"`);
  const config: ExploreConfigInput = { processFaults: Boolean(values['process-faults']) };
  if (values.manager !== undefined) config.manager = await managerSection(values.manager);
  if (values.break !== undefined) config.breakPreset = breakPreset(values.break).name;
  if (values.actions !== undefined)
    config.actions = values.actions
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '');
  if (values.invariant) config.extraInvariants = values.invariant.map(parseInvariantEntry);
  const maxFaults = intOption('max-faults', values['max-faults'], 1, 20);
  if (maxFaults !== undefined) config.maxFaults = maxFaults;
  const fleet: NonNullable<ExploreConfigInput['fleet']> = {};
  if (values.duration !== undefined) fleet.durationMs = parseDuration(values.duration);
  if (values.rate !== undefined) {
    const rate = Number(values.rate);
    if (!(rate > 0)) throw new RangeError(`--rate must be a number > 0, got "${values.rate}"`);
    fleet.ratePerSec = rate;
  }
  const replicas = intOption('replicas', values.replicas, 2, 16);
  if (replicas !== undefined) fleet.replicas = replicas;
  config.fleet = fleet;
  const o: Options = {
    seed: intOption('seed', values.seed, 0, 0xffffffff) ?? randomSeed(),
    runs: intOption('runs', values.runs, 1, 100_000) ?? 20,
    timeScale,
    reportDir: values['report-dir'] ?? 'reports',
    config,
    maxShrinkRuns: intOption('max-shrinks', values['max-shrinks'], 0, 10_000) ?? 40,
    verbose: Boolean(values.verbose),
  };
  if (values['time-limit'] !== undefined) {
    const ms = parseDuration(values['time-limit']);
    if (!(ms > 0)) throw new RangeError(`--time-limit must be longer than 0, got "${values['time-limit']}"`);
    o.timeLimitMs = ms;
  }
  const url = toxiproxyUrlOption(values['toxiproxy-url']);
  if (url) o.toxiproxyUrl = url;
  return o;
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A path as the user should type it: relative to the working directory when inside it. */
function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
}

export async function run(args: string[]): Promise<number> {
  let o: Options | { help: true };
  try {
    o = await options(args);
  } catch (e) {
    process.stderr.write(`mcp-chaos explore: ${errorMessage(e)}\n\n${USAGE}\n`);
    return EXIT.INVALID_INPUT;
  }
  if ('help' in o) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.OK;
  }
  const resolved = resolveExploreConfig(o.config);
  if (!resolved.ok) {
    for (const p of resolved.problems) process.stderr.write(`mcp-chaos explore: ${p}\n`);
    return EXIT.INVALID_INPUT;
  }
  const config = resolved.config;
  const dir = resolve(o.reportDir, `explore-${stamp(new Date())}`);
  const file = join(dir, 'counterexample.yaml');
  const command = ['mcp-chaos', 'explore', ...args.map(shellQuote)].join(' ');

  const abort = new AbortController();
  let interrupted: number | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted !== undefined) process.exit(interrupted);
    interrupted = sig === 'SIGTERM' ? 143 : 130;
    process.stderr.write(`\nmcp-chaos explore: ${sig}: stopping after the current run's rollback…\n`);
    abort.abort(new Error(`interrupted by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  process.stderr.write(
    `mcp-chaos explore: seed ${o.seed}, ${o.runs} run(s), time scale ${o.timeScale}` +
      `${config.breakPreset ? `, --break ${config.breakPreset}` : ''}; invariants: ` +
      `${config.invariants.map((e) => (typeof e === 'string' ? e : Object.keys(e)[0])).join(', ')}\n`,
  );
  // a preflight against the exploration's shortest timeouts: its call timeout and the default probe timeout
  const pre = await preflight(
    Math.min(config.callTimeoutMs, DEFAULT_SETTINGS.health.timeoutMs) * o.timeScale,
    { signal: abort.signal },
  );
  process.stderr.write(`preflight: ${pre.message}\n`);
  let result: ExploreResult;
  try {
    result = await explore({
      config,
      seed: o.seed,
      runs: o.runs,
      timeScale: o.timeScale,
      maxShrinkRuns: o.maxShrinkRuns,
      ...(o.timeLimitMs !== undefined ? { timeLimitMs: o.timeLimitMs } : {}),
      file: displayPath(file),
      signal: abort.signal,
      runOptions: {
        preflight: pre,
        ...(o.toxiproxyUrl !== undefined ? { toxiproxyUrl: o.toxiproxyUrl } : {}),
        startToxiproxy: ({ seed }) => startToxiproxy({ host: '127.0.0.1', port: 0, seed }),
        log: (entry) => {
          if (o.verbose || entry.level === 'error') {
            const fields = entry.fields ? ` ${JSON.stringify(entry.fields)}` : '';
            process.stderr.write(`  [${entry.level}] ${entry.msg}${fields}\n`);
          }
        },
      },
      onRun: (r) => process.stderr.write(`${exploredRunLine(r, o.runs)}\n`),
    });
  } catch (e) {
    process.stderr.write(`mcp-chaos explore: ${errorMessage(e)}\n`);
    return EXIT.INFRASTRUCTURE;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'explore.json'), exploreSummaryJson(result, command), 'utf8');
  } catch (e) {
    process.stderr.write(`mcp-chaos explore: cannot write ${dir}: ${errorMessage(e)}\n`);
  }
  const took = formatDuration(result.elapsedMs);
  const counts = `${result.searchRuns} search run(s), ${result.shrinkRuns} shrink run(s), ${took}`;
  for (const x of result.infrastructureErrors.slice(0, 5))
    process.stdout.write(`infrastructure error (${scheduleLine(x.schedule)}): ${x.errors.join('; ')}\n`);

  if (result.counterexample) {
    const schema = resolve('schema', 'scenario.schema.json');
    const preset = config.breakPreset ? BREAK_PRESETS[config.breakPreset] : undefined;
    const text = counterexampleText(result, {
      file: displayPath(file),
      schemaRef: existsSync(schema) ? relative(dirname(file), schema) : SCENARIO_SCHEMA_ID,
      exploreCommand: `npx ${command}${args.some((a) => a === '--seed' || a.startsWith('--seed=')) ? '' : ` --seed ${o.seed}`}`,
      ...(preset ? { breakPreset: { name: preset.name, description: preset.description } } : {}),
    });
    try {
      await writeFile(file, text.yaml, 'utf8');
      await writeFile(join(dir, 'README.md'), text.readme, 'utf8');
      await writeReports(result.counterexample.journal, dir);
    } catch (e) {
      process.stderr.write(`mcp-chaos explore: cannot write the counterexample: ${errorMessage(e)}\n`);
      return EXIT.INFRASTRUCTURE;
    }
    process.stdout.write(
      `\nCOUNTEREXAMPLE: ${result.counterexample.violated.join(', ')} violated (${counts})\n` +
        `  minimal schedule: ${scheduleLine(result.counterexample.schedule)}\n` +
        `  written to: ${displayPath(dir)}/\n` +
        `  replay with:\n    ${text.replay}\n`,
    );
    return EXIT.DEVIATED;
  }
  if (interrupted !== undefined) {
    process.stdout.write(`\ninterrupted: no violation found in ${counts}\n`);
    return interrupted;
  }
  if (result.outcome === 'infrastructure' || result.infrastructureErrors.length > 0) {
    process.stdout.write(
      `\nno violation found, but ${result.infrastructureErrors.length} run(s) hit infrastructure errors (${counts})\n`,
    );
    return EXIT.INFRASTRUCTURE;
  }
  if (result.inconclusiveRuns > 0) {
    process.stdout.write(
      `\nno violation found, but ${result.inconclusiveRuns} run(s) were inconclusive: the harness itself was ` +
        `starved (${counts}); run on a quieter machine or with --time-scale 1\n`,
    );
    return EXIT.INCONCLUSIVE;
  }
  const cut = result.timedOut ? ` (time limit reached after ${result.searchRuns} of ${o.runs})` : '';
  process.stdout.write(`\nno violation found: ${counts}${cut}; seed ${o.seed}\n`);
  return EXIT.OK;
}
