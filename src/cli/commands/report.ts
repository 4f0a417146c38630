/**
 * `mcp-chaos report <journal.json> [--out dir] [--no-index]`: re-renders every report (journal.json,
 * junit.xml, summary.md, report.html) from a saved journal and refreshes the index page in the output
 * folder's parent. `mcp-chaos report --index <reports-dir>` only rebuilds `<reports-dir>/index.html`.
 * Exit 0 on success, 2 for a bad path/flag/JSON, 3 when writing fails.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../../core/index.js';
import { parseJournal } from '../../report/index.js';
import { EXIT } from '../exit-codes.js';
import { updateIndex, writeReports } from '../write-reports.js';

const USAGE = `usage: mcp-chaos report <journal.json> [--out <dir>] [--no-index]
       mcp-chaos report --index <reports-dir>

Re-renders journal.json, junit.xml, summary.md and report.html from a saved journal, and refreshes the
runs index (<out>/../index.html). With --index, only rebuilds <reports-dir>/index.html from every
<reports-dir>/*/journal.json.

options:
  --out <dir>      where to write the reports (default: the journal's folder)
  --no-index       don't refresh the runs index
  --index <dir>    only rebuild <dir>/index.html
  -h, --help       show this help`;

export async function run(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    process.stderr.write(`mcp-chaos report: ${errorMessage(e)}\n\n${USAGE}\n`);
    return EXIT.INVALID_INPUT;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.OK;
  }
  if (parsed.values.index !== undefined) {
    if (parsed.positionals.length > 0 || parsed.values.out !== undefined) {
      process.stderr.write(`mcp-chaos report: --index takes no journal and no --out\n\n${USAGE}\n`);
      return EXIT.INVALID_INPUT;
    }
    return refreshIndex(resolve(parsed.values.index));
  }
  const [input, ...extra] = parsed.positionals;
  if (!input || extra.length > 0) {
    const why = input ? `unexpected arguments: ${extra.join(' ')}` : 'missing <journal.json>';
    process.stderr.write(`mcp-chaos report: ${why}\n\n${USAGE}\n`);
    return EXIT.INVALID_INPUT;
  }
  const path = resolve(input);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : errorMessage(e);
    process.stderr.write(`mcp-chaos report: cannot read journal ${input}: ${why}\n`);
    return EXIT.INVALID_INPUT;
  }
  let journal: ReturnType<typeof parseJournal>;
  try {
    journal = parseJournal(text, input);
  } catch (e) {
    process.stderr.write(`mcp-chaos report: ${errorMessage(e)}\n`);
    return EXIT.INVALID_INPUT;
  }
  const out = resolve(parsed.values.out ?? dirname(path));
  try {
    const { files } = await writeReports(journal, out);
    for (const f of files) process.stdout.write(`wrote ${f}\n`);
    if (!parsed.values['no-index']) {
      const index = await updateIndex(dirname(out));
      process.stdout.write(`wrote ${index.file} (${index.runs.length} run(s))\n`);
    }
  } catch (e) {
    process.stderr.write(`mcp-chaos report: cannot write reports to ${out}: ${errorMessage(e)}\n`);
    return EXIT.INFRASTRUCTURE;
  }
  process.stdout.write(`verdict: ${journal.verdict} (seed ${journal.seed})\n`);
  return EXIT.OK;
}

async function refreshIndex(root: string): Promise<number> {
  try {
    const index = await updateIndex(root);
    process.stdout.write(`wrote ${index.file} (${index.runs.length} run(s))\n`);
    return EXIT.OK;
  } catch (e) {
    process.stderr.write(`mcp-chaos report: cannot write the index in ${root}: ${errorMessage(e)}\n`);
    return EXIT.INFRASTRUCTURE;
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string', short: 'o' },
      'no-index': { type: 'boolean' },
      index: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
