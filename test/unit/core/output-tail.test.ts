import { describe, expect, it } from 'vitest';
import { outputTail } from '../../../src/core/output-tail.js';

/** What `node missing.js` prints on Node 20. */
const NODE_MODULE_NOT_FOUND = `node:internal/modules/cjs/loader:1228
  throw err;
  ^

Error: Cannot find module '/work/servers/missing.js'
    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)
    at Module._load (node:internal/modules/cjs/loader:1051:27)
    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:174:12)
    at node:internal/main/run_main_module:28:49 {
  code: 'MODULE_NOT_FOUND',
  requireStack: []
}

Node.js v20.20.2
`;

describe('outputTail', () => {
  it("keeps a crashed Node child's error line: stack frames and blank lines dropped", () => {
    const tail = outputTail(NODE_MODULE_NOT_FOUND, 5);
    expect(tail).toContain("Error: Cannot find module '/work/servers/missing.js'");
    expect(tail.at(-1)).toBe('Node.js v20.20.2');
    expect(tail.some((l) => /^\s+at /.test(l))).toBe(false);
    // the old tail (last five raw lines) lost it
    const old = NODE_MODULE_NOT_FOUND.trim().split('\n').slice(-5);
    expect(old.some((l) => l.includes('Cannot find module'))).toBe(false);
  });

  it('bounds lines and their length', () => {
    const long = `${'x'.repeat(1000)}\n${Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n')}`;
    expect(outputTail(long)).toHaveLength(8);
    expect(outputTail('x'.repeat(1000), 3)[0]).toHaveLength(301);
    expect(outputTail('')).toEqual([]);
  });
});
