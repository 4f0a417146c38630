/**
 * The reusable Action (`action.yml`): valid YAML, a composite action, every declared input used by a step
 * and every `inputs.X` a step reads declared; run steps name their shell; the run step passes scenario
 * paths and flags as argv (no eval); the nightly workflow uses it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const text = readFileSync('action.yml', 'utf8');
const action = parse(text) as {
  name: string;
  description: string;
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Array<{ run?: string; shell?: string; uses?: string; id?: string }> };
};

describe('action.yml', () => {
  it('is a composite action with a name, a description and described inputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.name).toBe('mcp-chaos');
    expect(action.description.length).toBeGreaterThan(20);
    for (const [name, input] of Object.entries(action.inputs))
      expect(input.description.length, `input ${name}`).toBeGreaterThan(10);
  });

  it('uses every input it declares and declares every input it uses', () => {
    const steps = JSON.stringify(action.runs.steps);
    const used = new Set([...steps.matchAll(/inputs\.([a-z-]+)/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(action.inputs).sort());
  });

  it('gives every run step a shell, and passes paths and flags as argv', () => {
    for (const s of action.runs.steps)
      if (s.run !== undefined) expect(s.shell, s.run.slice(0, 40)).toBe('bash');
    const run = action.runs.steps.find((s) => s.id === 'run')?.run ?? '';
    expect(run).toContain(['"$', '{scenarios[@]}"'].join(''));
    expect(run).not.toMatch(/\beval\b/);
    expect(action.outputs['exit-code']?.value).toContain('steps.run.outputs.exit-code');
  });

  it('is what the nightly workflow runs', () => {
    const nightly = parse(readFileSync('.github/workflows/nightly.yml', 'utf8')) as {
      jobs: Record<string, { steps: Array<{ uses?: string }> }>;
    };
    const uses = Object.values(nightly.jobs).flatMap((j) => j.steps.map((s) => s.uses));
    expect(uses).toContain('./');
  });
});
