/**
 * Enforces ARCHITECTURE.md (rules in test/helpers/architecture-rules.ts): which way imports go, folders
 * entered only through their index.ts (sub-folders too, but for a documented list), contract files imported
 * for their types only, no ambient time or randomness outside core/ and cli/, only cli/ prints, no import
 * circles. The same rules run on a fixture tree with one planted violation each, so the test can fail.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkArchitecture, importsOf } from '../../helpers/architecture-rules.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('architecture', () => {
  it('src/ keeps every rule', () => {
    expect(checkArchitecture(join(root, 'src'))).toEqual([]);
  });

  it('flags each planted violation of the fixture tree, and nothing else', () => {
    const found = checkArchitecture(join(root, 'test/fixtures/architecture/src')).map(
      (p) => `${p.rule} ${p.text.split(' ')[0]?.replace(/:$/, '')}`,
    );
    expect(found.sort()).toEqual(
      [
        'no-mcp proxy/bad-mcp.ts:1',
        'direction manager/bad-direction.ts:1',
        'direction mock/side-effect.ts:1', // a side-effect import counts
        'index-entry chaos/reach.ts:1', // into another folder's sub-folder
        'index-entry manager/deep/user.ts:1', // into a sibling sub-folder of the same folder
        'contract-type-only chaos/value-contract.ts:1',
        'ambient mock/timers.ts:2', // performance.now()
        'ambient mock/timers.ts:3', // setImmediate
        'ambient mock/timers.ts:4', // globalThis.setTimeout
        'ambient mock/timers.ts:5', // Math.random()
        'prints report/prints.ts:1',
        'cycle import',
      ].sort(),
    );
  });

  it('reads every import form', () => {
    const text = [
      "import { a, type B } from './a.js';",
      "import type { C } from './c.js';",
      "import { type D, type E } from './d.js';",
      "import './side.js';",
      "export { f } from './f.js';",
      "export type { G } from './g.js';",
      "import * as ns from './ns.js';",
      "const lazy = await import('./lazy.js');",
    ].join('\n');
    expect(importsOf(text).map((i) => `${i.spec}${i.typeOnly ? ' (type)' : ''}@${i.line}`)).toEqual([
      './a.js@1',
      './c.js (type)@2',
      './d.js (type)@3',
      './side.js@4',
      './f.js@5',
      './g.js (type)@6',
      './ns.js@7',
      './lazy.js@8',
    ]);
  });
});
