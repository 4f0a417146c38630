/**
 * Writes a run's reports to disk (the report layer only renders strings; files are the CLI's job):
 * `<dir>/journal.json`, `junit.xml`, `summary.md`, `report.html`, the Markdown summary appended to
 * `$GITHUB_STEP_SUMMARY`, and `reports/index.html` listing every run found under the reports folder.
 */
import * as nodeFs from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Journal } from '../chaos/journal.js';
import {
  type IndexEntry,
  renderHtml,
  renderIndex,
  renderJson,
  renderJunit,
  renderJunitForRun,
  renderMarkdown,
} from '../report/index.js';

/** The file operations used here (node:fs/promises by default; tests may pass a fake). */
export interface ReportFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  writeFile(path: string, data: string, encoding: 'utf8'): Promise<void>;
  appendFile(path: string, data: string, encoding: 'utf8'): Promise<void>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<{ size: number; isDirectory(): boolean }>;
}

export interface WriteReportsOptions {
  fs?: ReportFs;
  /** File to append the Markdown summary to (default `$GITHUB_STEP_SUMMARY`; null = don't). */
  stepSummaryPath?: string | null;
}

/** GitHub rejects step summaries over 1 MiB per step; stay clear of it. */
const STEP_SUMMARY_LIMIT_BYTES = 1000 * 1024;
/** Per-scenario share of the step summary, so a dozen scenarios fit in one step. */
const STEP_SUMMARY_PER_RUN_BYTES = 64 * 1024;

const defaultFs = nodeFs as unknown as ReportFs;

/** Writes journal.json, junit.xml, summary.md and report.html into `dir` (created if missing). */
export async function writeReports(
  journal: Journal,
  dir: string,
  options: WriteReportsOptions = {},
): Promise<{ files: string[] }> {
  const fs = options.fs ?? defaultFs;
  await fs.mkdir(dir, { recursive: true });
  const outputs: Array<[string, string]> = [
    ['journal.json', renderJson(journal)],
    ['junit.xml', renderJunit(journal)],
    ['summary.md', renderMarkdown(journal)],
    ['report.html', renderHtml(journal)],
  ];
  const files: string[] = [];
  for (const [name, text] of outputs) {
    const file = join(dir, name);
    await fs.writeFile(file, text, 'utf8');
    files.push(file);
  }
  const summaryPath =
    options.stepSummaryPath === undefined ? process.env.GITHUB_STEP_SUMMARY : options.stepSummaryPath;
  if (summaryPath) {
    const md = renderMarkdown(journal, { maxViolations: 5, maxBytes: STEP_SUMMARY_PER_RUN_BYTES });
    await appendStepSummary(md, summaryPath, {
      fs,
      fallback: `- ${journal.verdict}: ${journal.scenario.name}`,
    });
  }
  return { files };
}

/**
 * Appends Markdown to a GitHub step summary file, unless that would push it past GitHub's 1 MiB limit;
 * then appends `fallback` (one short line) instead, if even that fits. Returns whether the full text went in.
 */
export async function appendStepSummary(
  markdown: string,
  path: string,
  options: { fs?: ReportFs; fallback?: string } = {},
): Promise<boolean> {
  const fs = options.fs ?? defaultFs;
  let size = 0;
  try {
    size = (await fs.stat(path)).size;
  } catch {
    size = 0;
  }
  const text = `${markdown.trimEnd()}\n\n`;
  if (size + Buffer.byteLength(text) <= STEP_SUMMARY_LIMIT_BYTES) {
    await fs.appendFile(path, text, 'utf8');
    return true;
  }
  const short = `${options.fallback ?? '- (summary omitted: step summary size limit reached)'} — full report in the artifact\n`;
  if (size + Buffer.byteLength(short) <= STEP_SUMMARY_LIMIT_BYTES) await fs.appendFile(path, short, 'utf8');
  return false;
}

/** Reads the fields the index needs from `<root>/<dir>/journal.json`; undefined when absent or unreadable. */
async function readIndexEntry(fs: ReportFs, root: string, dir: string): Promise<IndexEntry | undefined> {
  try {
    const j = JSON.parse(await fs.readFile(join(root, dir, 'journal.json'), 'utf8')) as Partial<Journal>;
    if (typeof j.scenario?.name !== 'string' || typeof j.verdict !== 'string') return undefined;
    return {
      dir,
      scenario: j.scenario.name,
      verdict: j.verdict,
      startedAt: String(j.startedAt ?? ''),
      seed: typeof j.seed === 'number' ? j.seed : Number.NaN,
    };
  } catch {
    return undefined;
  }
}

/** Scans `<reportsRoot>/*\/journal.json` and (re)writes `<reportsRoot>/index.html`. */
export async function updateIndex(
  reportsRoot: string,
  options: { fs?: ReportFs } = {},
): Promise<{ file: string; runs: IndexEntry[] }> {
  const fs = options.fs ?? defaultFs;
  await fs.mkdir(reportsRoot, { recursive: true });
  const names = (await fs.readdir(reportsRoot)).sort();
  const runs: IndexEntry[] = [];
  for (const name of names) {
    const entry = await readIndexEntry(fs, reportsRoot, name);
    if (entry) runs.push(entry);
  }
  const file = join(reportsRoot, 'index.html');
  await fs.writeFile(file, renderIndex(runs), 'utf8');
  return { file, runs };
}

/** Writes one JUnit file for a whole run (one testsuite per scenario), e.g. `reports/junit.xml`. */
export async function writeRunJunit(
  journals: readonly Journal[],
  file: string,
  options: { fs?: ReportFs } = {},
): Promise<string> {
  const fs = options.fs ?? defaultFs;
  await fs.mkdir(dirname(file), { recursive: true });
  await fs.writeFile(file, renderJunitForRun(journals), 'utf8');
  return file;
}
