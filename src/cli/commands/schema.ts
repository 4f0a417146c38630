/**
 * `mcp-chaos schema [--out file]`: prints the scenario JSON Schema (generated from the zod schema), or
 * writes it to a file. The committed copy is `schema/scenario.schema.json`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { scenarioJsonSchemaText } from '../../chaos/index.js';
import { errorMessage } from '../../core/index.js';
import { EXIT } from '../exit-codes.js';

const USAGE = `usage: mcp-chaos schema [--out file]

Prints the JSON Schema of scenario files (draft 2020-12).

options:
  -o, --out <file>  write it to this file instead of stdout
  -h, --help        show this help`;

export async function run(args: string[]): Promise<number> {
  let values: { out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    process.stderr.write(`mcp-chaos schema: ${errorMessage(e)}\n\n${USAGE}\n`);
    return EXIT.INVALID_INPUT;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.OK;
  }
  const text = scenarioJsonSchemaText();
  if (values.out === undefined) {
    process.stdout.write(text);
    return EXIT.OK;
  }
  try {
    await mkdir(dirname(values.out), { recursive: true });
    await writeFile(values.out, text);
  } catch (e) {
    process.stderr.write(`mcp-chaos schema: cannot write ${values.out}: ${errorMessage(e)}\n`);
    return EXIT.INFRASTRUCTURE;
  }
  process.stderr.write(`wrote ${values.out}\n`);
  return EXIT.OK;
}
