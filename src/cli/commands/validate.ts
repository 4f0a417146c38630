/**
 * `mcp-chaos validate [files|dirs...]`: checks scenario files without starting anything. Prints
 * `file:line:column: path: message` for every problem (and `...: warning: ...` for warnings), `ok <file>`
 * for each valid file. Exit 0 when every file is valid, 2 when any is invalid or unreadable, or a flag is bad.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  formatProblem,
  invariantNames,
  loadScenarioFile,
  resolveInvariantParams,
} from '../../chaos/index.js';
import { errorMessage } from '../../core/index.js';
import { EXIT } from '../exit-codes.js';

const USAGE = `usage: mcp-chaos validate [files|dirs...] [options]

Validates scenario files (folders: every *.yaml / *.yml inside, not recursive; default: scenarios).
Prints file:line:column: path: message for every problem and "ok <file>" for valid files.

options:
  -q, --quiet   print only problems (no "ok" lines, no warnings)
  -h, --help    show this help

exit codes: 0 every file valid, 2 a file invalid or unreadable, or a bad flag`;

async function expand(paths: string[], out: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    try {
      if (!(await stat(p)).isDirectory()) {
        files.push(p);
        continue;
      }
      const names = (await readdir(p)).filter((n) => /\.ya?ml$/.test(n)).sort();
      if (names.length === 0) out.push(`${p}: no *.yaml files in this folder`);
      for (const n of names) files.push(join(p, n));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      out.push(`${p}: ${code === 'ENOENT' ? 'no such file or folder' : errorMessage(e)}`);
    }
  }
  return files;
}

/** 1-based line and column of the top-level `name:` value, for the duplicate-name problem. */
async function namePosition(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const lines = text.split('\n');
  const idx = lines.findIndex((l) => /^name\s*:/.test(l));
  if (idx < 0) return '1:1';
  const m = /^name\s*:\s*/.exec(lines[idx] as string);
  return `${idx + 1}:${(m?.[0].length ?? 0) + 1}`;
}

const parse = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { quiet: { type: 'boolean', short: 'q' }, help: { type: 'boolean', short: 'h' } },
  });

export async function run(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    process.stderr.write(`mcp-chaos validate: ${errorMessage(e)}\n\n${USAGE}\n`);
    return EXIT.INVALID_INPUT;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.OK;
  }
  const quiet = Boolean(parsed.values.quiet);
  const pathProblems: string[] = [];
  const files = await expand(
    parsed.positionals.length > 0 ? parsed.positionals : ['scenarios'],
    pathProblems,
  );
  for (const p of pathProblems) process.stdout.write(`${p}\n`);
  let failed = pathProblems.length > 0;
  const names = new Map<string, string>();
  for (const file of files) {
    const result = await loadScenarioFile(file, {
      knownInvariants: invariantNames,
      validateInvariantParams: (name, params) => {
        resolveInvariantParams(name, params);
      },
    });
    if (!quiet) for (const w of result.warnings) process.stdout.write(`${formatProblem(w, 'warning')}\n`);
    if (!result.ok) {
      failed = true;
      for (const p of result.problems) process.stdout.write(`${formatProblem(p)}\n`);
      continue;
    }
    const name = result.scenario.name;
    const first = names.get(name);
    if (first !== undefined) {
      failed = true;
      const pos = await namePosition(file);
      process.stdout.write(`${file}:${pos}: name: scenario name "${name}" is also used by ${first}\n`);
      continue;
    }
    names.set(name, file);
    if (!quiet) process.stdout.write(`ok ${file}\n`);
  }
  return failed ? EXIT.INVALID_INPUT : EXIT.OK;
}
