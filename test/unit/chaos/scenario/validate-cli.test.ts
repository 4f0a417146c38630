/**
 * End to end: `mcp-chaos validate` as a process (two spawns, ~1 s each), plus the `schema` command
 * in-process. Exit codes: 0 all valid, 2 any invalid.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scenarioJsonSchemaText } from '../../../../src/chaos/scenario/index.js';
import { run as schemaCommand } from '../../../../src/cli/commands/schema.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixtures = 'test/fixtures/scenarios';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mcp-chaos validate (spawned)', () => {
  it('exits 0 and prints "ok <file>" for a valid file', () => {
    const file = `${fixtures}/valid/format-example.yaml`;
    const r = cli('validate', file);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.stdout).toContain(`ok ${file}\n`);
    expect(r.code).toBe(0);
  });

  it('exits 2 and prints file:line:column: path: message for every problem', () => {
    const file = `${fixtures}/invalid/multi-error.yaml`;
    const r = cli('validate', file, `${fixtures}/valid/format-example.yaml`);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith(`${file}:`));
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe(
      `${file}:16:5: servers.weather.replica: unknown key "replica" (did you mean "replicas"?)`,
    );
    expect(r.stdout).toContain(`ok ${fixtures}/valid/format-example.yaml`);
    expect(r.code).toBe(2);
  });
});

describe('mcp-chaos schema (in-process)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prints the generated schema and rejects unknown flags with exit 2', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await schemaCommand([])).toBe(0);
    expect(out).toBe(scenarioJsonSchemaText());
    expect(await schemaCommand(['--bogus'])).toBe(2);
  });
});
