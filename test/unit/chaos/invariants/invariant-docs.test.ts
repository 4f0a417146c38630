/** docs/invariants.md is the registry's own rendering, and every documented param is one params() takes. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INVARIANTS, type ParamDoc, renderInvariantDocs } from '../../../../src/chaos/invariants/index.js';

const SAMPLE: Record<ParamDoc['kind'], unknown> = {
  fault: 'f',
  server: 's',
  duration: '1500ms',
  number: 1,
  integer: 2,
  ratio: '99%',
  boolean: true,
};

describe('invariant docs', () => {
  it('the committed docs/invariants.md is up to date', () => {
    expect(
      readFileSync('docs/invariants.md', 'utf8'),
      'regenerate: npx tsx scripts/invariant-docs.ts > docs/invariants.md',
    ).toBe(renderInvariantDocs(Object.values(INVARIANTS)));
  });

  it.each(Object.values(INVARIANTS).map((i) => [i.name, i] as const))(
    '%s takes every param it documents, and no other',
    (_name, inv) => {
      const all = Object.fromEntries(Object.entries(inv.paramDocs).map(([k, p]) => [k, SAMPLE[p.kind]]));
      // breaker-opens-within: `calls` alone is its own mode; every param together is still accepted
      expect(() => inv.params(all)).not.toThrow();
      expect(() => inv.params({ ...all, notAParam: 1 })).toThrow(/unknown param "notAParam"/);
      const required = Object.entries(inv.paramDocs).filter(([, p]) => p.required);
      for (const [k] of required) {
        const { [k]: _, ...rest } = all;
        expect(() => inv.params(rest), `${k} is required`).toThrow(new RegExp(k));
      }
    },
  );
});
