/**
 * How deeply a parsed JSON value nests, measured without recursion (a value nested 20,000 deep must not
 * overflow the stack of the code that checks it — that overflow is what the check is there to prevent).
 * A scalar is depth 0; `[]`, `{}` and `[1]` are 1; `{"a":[1]}` is 2.
 */

/** Whether `value` nests deeper than `max` levels (stops looking as soon as it does). */
export function jsonDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: Array<{ v: object; d: number }> = [{ v: value, d: 1 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop() as { v: object; d: number };
    if (d > max) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) if (c !== null && typeof c === 'object') stack.push({ v: c, d: d + 1 });
  }
  return false;
}
