/**
 * Loading a scenario: YAML (with line:column for everything) → zod schema → cross-field and cross-reference
 * checks → a normalised {@link Scenario}. Every problem is reported, not just the first.
 */
import { readFile, stat } from 'node:fs/promises';
import { LineCounter, parseDocument, visit } from 'yaml';
import { checkReferences } from './check-references.js';
import {
  checkFaultShape,
  checkInvariantEntryShape,
  checkManagerShape,
  checkServerShape,
  isObj,
} from './check-shape.js';
import { checkSut } from './check-sut.js';
import { buildDraft, type Draft } from './draft.js';
import { describeIssue } from './issues.js';
import { KNOWN_INVARIANTS } from './known-invariants.js';
import { MAX_ALIAS_COUNT, MAX_FILE_BYTES } from './limits.js';
import { uniqueLoadNames } from './normalize.js';
import type { Finding, Problem } from './problem.js';
import { ScenarioSchema } from './schema.js';
import type { Scenario } from './types.js';
import { formatPath, YamlLocator } from './yaml-locate.js';

export interface ParseScenarioOptions {
  /** Invariant names accepted (default {@link KNOWN_INVARIANTS}). */
  knownInvariants?: readonly string[];
  /** Extra validation of an invariant's params as written; throw to report a problem. */
  validateInvariantParams?: (name: string, params: Record<string, unknown>) => void;
  /** Largest file accepted in bytes (default 1 MiB). */
  maxFileBytes?: number;
  /** Most alias expansions (default 100). */
  maxAliasCount?: number;
}

export type LoadResult =
  | { ok: true; scenario: Scenario; warnings: Problem[] }
  | { ok: false; problems: Problem[]; warnings: Problem[] };

const fail = (file: string, message: string, line = 1, column = 1): LoadResult => ({
  ok: false,
  problems: [{ file, line, column, path: '', message }],
  warnings: [],
});

/** Reads and validates one scenario file. Never throws for bad input: unreadable files are problems. */
export async function loadScenarioFile(
  path: string,
  options: ParseScenarioOptions = {},
): Promise<LoadResult> {
  const max = options.maxFileBytes ?? MAX_FILE_BYTES;
  try {
    const st = await stat(path);
    if (!st.isFile()) return fail(path, 'not a file');
    if (st.size > max) return fail(path, `file is ${st.size} bytes, over the limit of ${max}`);
    return parseScenario(await readFile(path, 'utf8'), path, options);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(
      path,
      `cannot read file${code ? ` (${code})` : ''}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** Validates scenario text; `file` is used in problems and kept in the scenario. */
export function parseScenario(text: string, file: string, options: ParseScenarioOptions = {}): LoadResult {
  const max = options.maxFileBytes ?? MAX_FILE_BYTES;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > max) return fail(file, `file is ${bytes} bytes, over the limit of ${max}`);

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
  const locator = new YamlLocator(doc, lines);
  const toProblem = (f: Finding): Problem => {
    const pos = locator.locate(f.path, f.at);
    return { file, line: pos.line, column: pos.column, path: formatPath(f.path), message: f.message };
  };
  const atOffset = (offset: number, message: string): Problem => ({
    file,
    ...locator.at(offset),
    path: '',
    message,
  });

  const warnings = doc.warnings.map((w) => atOffset(w.pos[0], w.message));
  if (doc.errors.length > 0) {
    return { ok: false, problems: doc.errors.map((e) => atOffset(e.pos[0], e.message)), warnings };
  }

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: options.maxAliasCount ?? MAX_ALIAS_COUNT });
  } catch (e) {
    let first = 0;
    visit(doc, {
      Alias(_key, node) {
        first = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, problems: [atOffset(first, `YAML aliases: ${msg}`)], warnings };
  }
  if (raw === null || raw === undefined) return fail(file, 'the file is empty: expected a scenario map');
  if (!isObj(raw)) return fail(file, 'expected a scenario map (name, duration, servers, ...)');

  const findings: Finding[] = [];
  const parsed = ScenarioSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) for (const issue of parsed.error.issues) findings.push(...describeIssue(issue, raw));
  shapeChecks(raw, findings);
  const draft = buildDraft(raw);
  checkReferences(draft, findings, {
    knownInvariants: options.knownInvariants ?? KNOWN_INVARIANTS,
    validateInvariantParams: options.validateInvariantParams,
  });
  checkSut(draft, findings);

  const errors = sortUnique(findings.filter((f) => f.severity !== 'warning').map(toProblem));
  warnings.push(...findings.filter((f) => f.severity === 'warning').map(toProblem));
  const sortedWarnings = sortUnique(warnings);
  if (errors.length > 0 || !parsed.success) return { ok: false, problems: errors, warnings: sortedWarnings };
  return { ok: true, scenario: assemble(file, parsed.data, draft), warnings: sortedWarnings };
}

function shapeChecks(raw: Record<string, unknown>, out: Finding[]): void {
  if (isObj(raw.servers)) {
    for (const [name, s] of Object.entries(raw.servers)) checkServerShape(s, ['servers', name], out);
  }
  if (isObj(raw.manager)) checkManagerShape(raw.manager, ['manager'], out);
  const faults: unknown[] = Array.isArray(raw.faults) ? raw.faults : [];
  for (const [i, f] of faults.entries()) checkFaultShape(f, ['faults', i], out);
  const invariants: unknown[] = Array.isArray(raw.invariants) ? raw.invariants : [];
  for (const [i, e] of invariants.entries()) checkInvariantEntryShape(e, ['invariants', i], out);
}

function sortUnique(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const p of problems) {
    const key = `${p.line}:${p.column}:${p.path}:${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

const defined = <T>(xs: (T | undefined)[]): T[] => xs.filter((x): x is T => x !== undefined);

function assemble(
  file: string,
  input: { name: string; description?: string; seed?: number },
  d: Draft,
): Scenario {
  const load = defined(d.load);
  uniqueLoadNames(load);
  const scenario: Scenario = {
    file,
    name: input.name,
    durationMs: d.durationMs as number,
    servers: defined([...d.servers.values()]),
    manager: d.manager,
    load,
    faults: defined(d.faults),
    steadyState: defined(d.steadyState),
    invariants: defined(d.invariants),
    thresholds: defined(d.thresholds),
    sut: d.sut,
  };
  if (input.description !== undefined) scenario.description = input.description;
  if (input.seed !== undefined) scenario.seed = input.seed;
  return scenario;
}
