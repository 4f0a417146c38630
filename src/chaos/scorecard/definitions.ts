/**
 * The scorecard's inputs: failure modes (scorecard/modes/*.yaml — scenarios without `sut:`) and systems
 * under test (scorecard/suts/*.yaml — `name`, `description` and a `sut: {gateway: …}` block). A SUT file is
 * checked by the scenario validator itself, as a scenario fragment over a two-replica `weather` server, so
 * its problems are reported at its own line:column. Its relative paths resolve against its own folder.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { type Problem, parseScenario, type Scenario } from '../scenario/index.js';

export interface ScorecardSut {
  name: string;
  description: string;
  file: string;
  /** The `sut:` block as written, with `cwd` made absolute. */
  sut: { gateway: Record<string, unknown> };
}

export interface ScorecardMode {
  name: string;
  description: string;
  file: string;
  text: string;
}

/** Appended to a SUT file to check it as a scenario (its own lines keep their numbers). */
const FRAGMENT_TAIL = '\nduration: 1s\nservers:\n  weather: {replicas: 2, mock: {}}\n';

export type Loaded<T> = { ok: true; items: T[] } | { ok: false; problems: Problem[] };

async function yamlFiles(dir: string, only: readonly string[]): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  const files = names.map((n) => join(dir, n));
  if (only.length === 0) return files;
  const byName = new Map(files.map((f) => [basename(f).replace(/\.ya?ml$/, ''), f]));
  const missing = only.filter((n) => !byName.has(n));
  if (missing.length > 0)
    throw new RangeError(`${missing.join(', ')}: not in ${dir} (there: ${[...byName.keys()].join(', ')})`);
  return only.map((n) => byName.get(n) as string);
}

export async function loadSuts(dir: string, only: readonly string[] = []): Promise<Loaded<ScorecardSut>> {
  const problems: Problem[] = [];
  const items: ScorecardSut[] = [];
  for (const file of await yamlFiles(dir, only)) {
    const text = await readFile(file, 'utf8');
    const r = parseScenario(text + FRAGMENT_TAIL, file);
    if (!r.ok) {
      problems.push(...r.problems);
      continue;
    }
    if (r.scenario.sut.kind !== 'gateway') {
      problems.push({
        file,
        line: 1,
        column: 1,
        path: 'sut',
        message: 'a scorecard SUT needs sut: {gateway: …}',
      });
      continue;
    }
    const raw = parseYaml(text) as { sut: { gateway: Record<string, unknown> } };
    const gateway = { ...raw.sut.gateway };
    gateway.cwd = resolve(dirname(file), typeof gateway.cwd === 'string' ? gateway.cwd : '.');
    items.push({ name: r.scenario.name, description: r.scenario.description ?? '', file, sut: { gateway } });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, items };
}

export async function loadModes(dir: string, only: readonly string[] = []): Promise<Loaded<ScorecardMode>> {
  const problems: Problem[] = [];
  const items: ScorecardMode[] = [];
  for (const file of await yamlFiles(dir, only)) {
    const text = await readFile(file, 'utf8');
    // checked without a SUT (some modes are only invalid under a black-box one: that is a finding)
    const r = parseScenario(text, file);
    if (!r.ok) problems.push(...r.problems);
    else items.push({ name: r.scenario.name, description: r.scenario.description ?? '', file, text });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, items };
}

/** The mode's scenario with the SUT put in; problems when the pair is not valid (e.g. deploys). */
export function pairScenario(
  mode: ScorecardMode,
  sut: ScorecardSut,
): { scenario: Scenario } | { problems: Problem[] } {
  const raw = parseYaml(mode.text) as Record<string, unknown>;
  raw.name = `${mode.name}--${sut.name}`;
  raw.sut = sut.sut;
  const r = parseScenario(stringify(raw, { lineWidth: 0 }), mode.file);
  return r.ok ? { scenario: r.scenario } : { problems: r.problems };
}
