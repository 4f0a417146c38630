/**
 * Table-driven: every file in test/fixtures/scenarios/invalid/ declares its problems in header comments
 * (`# expect: <line>:<col> <substring>`); the loader must report exactly those, at those positions.
 * Every file in valid/ must load without problems.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../../../src/chaos/scenario/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/scenarios');
const yamlIn = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((n) => /\.ya?ml$/.test(n))
    .sort();

interface Expectation {
  line: number;
  column: number;
  text: string;
}

function expectations(file: string): Expectation[] {
  const out: Expectation[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^# expect: (\d+):(\d+) (.+)$/.exec(line);
    if (m) out.push({ line: Number(m[1]), column: Number(m[2]), text: m[3] as string });
  }
  return out;
}

describe('invalid scenario fixtures', () => {
  const files = yamlIn('invalid');

  it('has at least 20 single-problem files and a multi-problem one', () => {
    const counts = files.map((f) => expectations(join(root, 'invalid', f)).length);
    expect(counts.filter((c) => c === 1).length).toBeGreaterThanOrEqual(20);
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(8);
  });

  it.each(files)('%s reports exactly the expected problems', async (name) => {
    const file = join(root, 'invalid', name);
    const expected = expectations(file);
    expect(expected.length, 'fixture declares # expect: lines').toBeGreaterThan(0);
    const result = await loadScenarioFile(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const got = result.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
    expect(result.problems, got.join('\n')).toHaveLength(expected.length);
    for (const e of expected) {
      const hit = result.problems.find(
        (p) => p.line === e.line && p.column === e.column && p.message.includes(e.text),
      );
      expect(hit, `expected ${e.line}:${e.column} "${e.text}" in:\n${got.join('\n')}`).toBeDefined();
      expect(hit?.file).toBe(file);
    }
  });
});

describe('valid scenario fixtures', () => {
  it.each(yamlIn('valid'))('%s loads without problems', async (name) => {
    const result = await loadScenarioFile(join(root, 'valid', name));
    if (!result.ok) expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
