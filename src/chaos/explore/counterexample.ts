/**
 * The text of a counterexample folder: `counterexample.yaml` (a runnable scenario: the minimal schedule
 * over the exploration fleet, with the seed, the violated invariants in its description and a schema
 * line for editors) and `README.md` (what broke, the replay command, the schedule before and after
 * shrinking). Pure: the CLI writes the files.
 */
import { formatDuration } from '../../core/duration.js';
import { replayCommand } from '../run/index.js';
import { violationLines } from './classify-journal.js';
import type { Counterexample, ExploreResult } from './explore.js';
import { scenarioToYaml } from './scenario-yaml.js';
import { describeAction, type ScheduledFault } from './schedule.js';

export interface CounterexampleTextOptions {
  /** The path `counterexample.yaml` is written to, as the replay command should name it. */
  file: string;
  /** `$schema` reference for the editor line (relative path or URL). */
  schemaRef?: string;
  /** The command line that ran the exploration (shown in the README). */
  exploreCommand?: string;
  /** The `--break` preset, if any, and its description. */
  breakPreset?: { name: string; description: string };
}

export interface CounterexampleText {
  yaml: string;
  readme: string;
  /** `npx mcp-chaos run <file> --seed N [--time-scale F]`. */
  replay: string;
}

/** First violation message of the first failed invariant, for one-line descriptions. */
function headline(cx: Counterexample): string {
  for (const inv of cx.journal.invariants) {
    if (!inv.held) return inv.violations[0]?.message ?? inv.summary;
  }
  return '';
}

function scheduleTable(schedule: readonly ScheduledFault[]): string[] {
  const rows = ['| # | at | for | target | action |', '| --- | --- | --- | --- | --- |'];
  schedule.forEach((f, i) => {
    rows.push(
      `| ${i} | ${formatDuration(f.atMs)} | ${formatDuration(f.forMs)} | \`${f.target}\` | ${describeAction(f.action)} |`,
    );
  });
  return rows;
}

export function counterexampleText(result: ExploreResult, o: CounterexampleTextOptions): CounterexampleText {
  const cx = result.counterexample;
  if (!cx) throw new RangeError('the exploration found no counterexample');
  const violated = cx.violated.join(', ');
  const replay = replayCommand(o.file, result.seed, result.timeScale);
  const first = headline(cx);
  const { name, description: _old, ...rest } = cx.document;
  const doc = {
    name,
    description:
      `Minimal fault schedule found by mcp-chaos explore (seed ${result.seed}, time scale ${result.timeScale}) ` +
      `that violates ${violated}${first ? `: ${first}` : ''}`,
    ...rest,
  };
  const comments = [
    `Counterexample found by mcp-chaos explore: violates ${violated}.`,
    `Replay: ${replay}`,
    `Times below are nominal; the exploration ran them at time scale ${result.timeScale}.`,
  ];
  if (o.breakPreset) comments.push(`Manager broken on purpose with --break ${o.breakPreset.name}.`);
  const yaml = scenarioToYaml(doc, {
    ...(o.schemaRef !== undefined ? { schemaRef: o.schemaRef } : {}),
    comments,
  });

  const lines: string[] = [
    `# Counterexample: ${violated}`,
    '',
    `Found by \`mcp-chaos explore\` (seed ${result.seed}, time scale ${result.timeScale}) after ` +
      `${result.searchRuns} random schedule(s); shrunk in ${cx.shrinkSteps} step(s) over ${cx.shrinkRuns} ` +
      `run(s)${cx.shrinkCut ? ' — shrinking was cut short (run cap or time limit), so a smaller schedule may exist' : ''}.`,
    '',
  ];
  if (o.exploreCommand) lines.push('Exploration command:', '', '```sh', o.exploreCommand, '```', '');
  if (o.breakPreset) {
    lines.push(
      `The manager was broken on purpose (\`--break ${o.breakPreset.name}\`): ${o.breakPreset.description}`,
      '',
    );
  }
  lines.push(
    '## Replay',
    '',
    '```sh',
    replay,
    '```',
    '',
    `Run it from the directory the exploration ran in. Expected: exit code 1 (verdict \`deviated\`) with ` +
      `${violated} violated. The run is timing-dependent (real sockets and timers); the seed fixes load ` +
      'arrivals, jitter and mock latencies.',
    '',
    '## What broke (minimal run)',
    '',
    ...violationLines(cx.journal).map((l) => (l.startsWith('  ') ? l : `- ${l}`)),
    '',
    '## Minimal fault schedule',
    '',
    `Nominal times (the scenario file's); at time scale ${result.timeScale} they are multiplied by ${result.timeScale}. ` +
      `Fleet: \`${result.fleet.server}\` with ${result.fleet.replicas} mock replicas, ${result.fleet.ratePerSec} ` +
      `idempotent \`${result.fleet.tool}\` calls/s for ${formatDuration(result.fleet.durationMs)}.`,
    '',
    ...scheduleTable(cx.schedule),
    '',
    '## Before shrinking',
    '',
    `The first failing schedule broke ${cx.originalViolated.join(', ')}:`,
    '',
    ...scheduleTable(cx.original),
    '',
    '## Files',
    '',
    '- `counterexample.yaml` — the scenario above, runnable with `mcp-chaos run`',
    '- `journal.json`, `summary.md`, `report.html`, `junit.xml` — the minimal run',
    '',
  );
  return { yaml, readme: lines.join('\n'), replay };
}
