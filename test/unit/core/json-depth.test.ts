import { describe, expect, it } from 'vitest';
import { jsonDeeperThan } from '../../../src/core/index.js';

/** `[[[…]]]` nested `n` deep, built without recursion. */
function nested(n: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

describe('jsonDeeperThan', () => {
  it('counts levels of arrays and objects; scalars are depth 0', () => {
    expect(jsonDeeperThan(1, 0)).toBe(false);
    expect(jsonDeeperThan(null, 0)).toBe(false);
    expect(jsonDeeperThan([], 0)).toBe(true);
    expect(jsonDeeperThan([], 1)).toBe(false);
    expect(jsonDeeperThan({ a: [1] }, 1)).toBe(true);
    expect(jsonDeeperThan({ a: [1] }, 2)).toBe(false);
    expect(jsonDeeperThan({ a: 1, b: { c: { d: 'x' } } }, 2)).toBe(true);
  });

  it('measures 100,000 levels without overflowing the stack', () => {
    const deep = nested(100_000);
    expect(jsonDeeperThan(deep, 64)).toBe(true);
    expect(jsonDeeperThan(nested(64), 64)).toBe(false);
    expect(jsonDeeperThan(nested(65), 64)).toBe(true);
  });
});
