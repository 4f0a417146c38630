/**
 * Property: the loader never throws, whatever the input, and every problem it reports points inside the
 * file (1-based line within the text, column ≥ 1). Inputs: arbitrary text, and valid fixtures with lines
 * deleted, duplicated or with a character changed.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../../src/chaos/scenario/index.js';
import { FC_SEED } from '../../../helpers/seed.js';

const seed = FC_SEED;
const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/scenarios/valid');
const sources = ['format-example.yaml', 'every-field.yaml'].map((f) =>
  readFileSync(join(fixtures, f), 'utf8'),
);

function checkResult(text: string): void {
  const r = parseScenario(text, 'fuzz.yaml');
  const lines = text.split('\n').length;
  const all = [...(r.ok ? [] : r.problems), ...r.warnings];
  for (const p of all) {
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(lines);
    expect(p.column).toBeGreaterThanOrEqual(1);
    expect(p.message.length).toBeGreaterThan(0);
  }
  if (!r.ok) expect(r.problems.length).toBeGreaterThan(0);
}

const mutation = fc.record({
  src: fc.constantFrom(...sources.keys()),
  ops: fc.array(
    fc.record({
      kind: fc.constantFrom('delete', 'duplicate', 'replace'),
      line: fc.nat(),
      col: fc.nat(),
      ch: fc.constantFrom(':', '-', ' ', '[', '{', '*', '&', '0', 'x', '"', '\t', '%'),
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

describe('loader robustness', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        checkResult(text);
      }),
      { seed, numRuns: 300 },
    );
  });

  it('never throws on mutated valid scenarios, and locates every problem inside the file', () => {
    fc.assert(
      fc.property(mutation, ({ src, ops }) => {
        const lines = (sources[src] as string).split('\n');
        for (const op of ops) {
          const i = op.line % lines.length;
          const line = lines[i] as string;
          if (op.kind === 'delete') lines.splice(i, 1);
          else if (op.kind === 'duplicate') lines.splice(i, 0, line);
          else {
            const c = line.length === 0 ? 0 : op.col % line.length;
            lines[i] = line.slice(0, c) + op.ch + line.slice(c + 1);
          }
        }
        checkResult(lines.join('\n'));
      }),
      { seed, numRuns: 200 },
    );
  });
});
