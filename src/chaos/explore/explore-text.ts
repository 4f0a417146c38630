/**
 * Text in and out of an exploration, pure (the CLI reads files and prints): parsing a `--manager` section
 * and an `--invariant` entry written as YAML/JSON, one-line descriptions of schedules and runs, and the
 * `explore.json` summary.
 */
import { parse as parseYaml } from 'yaml';
import { formatDuration } from '../../core/duration.js';
import { errorMessage } from '../../core/errors.js';
import type { ExploredRun, ExploreResult } from './explore.js';
import type { InvariantEntry, ManagerSection } from './fleet.js';
import { describeAction, type ScheduledFault } from './schedule.js';

const isMap = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x);

/** A manager section from YAML/JSON text; `{manager: {...}}` is accepted too. Throws RangeError. */
export function parseManagerSection(text: string, what = '--manager'): ManagerSection {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (e) {
    throw new RangeError(`${what}: not YAML/JSON: ${errorMessage(e)}`);
  }
  if (!isMap(parsed)) throw new RangeError(`${what}: expected a map (a scenario manager section)`);
  const keys = Object.keys(parsed);
  if (keys.length === 1 && keys[0] === 'manager' && isMap(parsed.manager)) return parsed.manager;
  return parsed;
}

/** An invariant entry: `name` or `name: {param: value}` (YAML). Throws RangeError. */
export function parseInvariantEntry(text: string): InvariantEntry {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (e) {
    throw new RangeError(`--invariant "${text}": ${errorMessage(e)}`);
  }
  if (typeof parsed === 'string' && parsed !== '') return parsed;
  if (isMap(parsed)) {
    const entries = Object.entries(parsed);
    const [name, params] = entries[0] ?? [];
    if (entries.length === 1 && name && (params === null || isMap(params))) return { [name]: params ?? {} };
  }
  throw new RangeError(`--invariant "${text}": expected a name or "name: {param: value}"`);
}

/** `svc[0] down @1.2s+500ms; svc[*] timeout timeout=0 @0ms+2s`. */
export function scheduleLine(s: readonly ScheduledFault[]): string {
  return s
    .map(
      (f) => `${f.target} ${describeAction(f.action)} @${formatDuration(f.atMs)}+${formatDuration(f.forMs)}`,
    )
    .join('; ');
}

/** `[search 3/20] <schedule> → held (2.7s)`, `[shrink 5] … → VIOLATED x (smaller counterexample) (2.6s)`. */
export function exploredRunLine(r: ExploredRun, runsRequested: number): string {
  const what =
    r.result.kind === 'held'
      ? 'held'
      : r.result.kind === 'violated'
        ? `VIOLATED ${r.result.invariants.join(', ')}`
        : r.result.kind === 'inconclusive'
          ? 'inconclusive (the harness was starved)'
          : `infrastructure error: ${r.result.errors[0] ?? ''}`;
  const tag = r.phase === 'search' ? `search ${r.index}/${runsRequested}` : `shrink ${r.index}`;
  const kept = r.kept ? ' (smaller counterexample)' : '';
  const time = r.cached ? 'cached' : formatDuration(r.elapsedMs);
  return `[${tag}] ${scheduleLine(r.schedule)} → ${what}${kept} (${time})`;
}

/** `explore.json`: the result without journals, plus the command that ran it. */
export function exploreSummaryJson(result: ExploreResult, command: string): string {
  const { counterexample: cx, ...rest } = result;
  const counterexample = cx && {
    violated: cx.violated,
    schedule: cx.schedule,
    original: cx.original,
    originalViolated: cx.originalViolated,
    shrinkSteps: cx.shrinkSteps,
    shrinkRuns: cx.shrinkRuns,
    shrinkCut: cx.shrinkCut,
    replay: cx.journal.replay,
  };
  return `${JSON.stringify({ command, ...rest, counterexample }, null, 2)}\n`;
}
