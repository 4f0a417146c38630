import { describe, expect, it } from 'vitest';
import { compareThreshold, parseThreshold } from '../../../../src/chaos/scenario/threshold.js';

describe('parseThreshold', () => {
  it.each([
    [
      'availability >= 0.99 over 2s',
      { metric: 'availability', op: '>=', value: 0.99, window: { kind: 'over', ms: 2000 } },
    ],
    ['p(99) < 250ms', { metric: 'p', percentile: 99, op: '<', value: 250, window: { kind: 'whole' } }],
    ['p( 99.9 )<=1.5s', { metric: 'p', percentile: 99.9, op: '<=', value: 1500 }],
    ['avg < 50ms', { metric: 'avg', value: 50 }],
    ['max <= 1m', { metric: 'max', value: 60_000 }],
    ['availability >= 0.99 during faults', { window: { kind: 'during-faults' } }],
    ['p(95) < 100ms after recovery', { percentile: 95, window: { kind: 'after-recovery' } }],
    ['error_rate < 1%', { metric: 'error_rate', value: 0.01 }],
    ['availability >= 99.5%', { value: 0.995 }],
    ['calls >= 1000', { metric: 'calls', value: 1000 }],
    ['max == 0', { op: '==', value: 0 }],
    ['avg != 0ms', { op: '!=', value: 0 }],
    [
      'availability{server=weather} >= 0.99 over 500ms',
      { server: 'weather', window: { kind: 'over', ms: 500 } },
    ],
    ['p(99){ server: "local-tools" } < 1s', { server: 'local-tools', percentile: 99, value: 1000 }],
  ])('parses %s', (src, expected) => {
    const t = parseThreshold(src);
    expect(typeof t).toBe('object');
    expect(t).toMatchObject({ source: src, ...expected });
  });

  it.each([
    ['latency < 5ms', 'unknown metric "latency"'],
    ['p(0) < 5ms', 'percentile'],
    ['p(101) < 5ms', 'percentile'],
    ['p(99) 250ms', 'expected a comparison'],
    ['p(99) <', 'missing value'],
    ['p(99) < 250', 'has no unit'],
    ['p(99) < -5ms', 'must not be negative'],
    ['availability >= 1.5', 'fraction in [0, 1]'],
    ['availability >= high', 'fraction in [0, 1]'],
    ['calls > 1.5', 'non-negative integer'],
    ['avg < 5ms over', 'missing duration after "over"'],
    ['avg < 5ms over 5', 'has no unit'],
    ['avg < 5ms over 0', 'longer than 0'],
    ['avg < 5ms during recovery', 'unexpected "during recovery"'],
    ['avg < 5ms after recovery please', 'unexpected "please"'],
    ['availability{tool=echo} >= 0.9', 'expected a tag like {server=NAME}'],
  ])('rejects %s', (src, msg) => {
    const t = parseThreshold(src);
    expect(typeof t).toBe('string');
    expect(t).toContain(msg);
  });
});

describe('compareThreshold', () => {
  it('applies every operator', () => {
    const at = (op: '<' | '<=' | '>' | '>=' | '==' | '!=', a: number, v: number) =>
      compareThreshold(a, { op, value: v });
    expect([at('<', 1, 2), at('<', 2, 2), at('<=', 2, 2), at('>', 3, 2), at('>', 2, 2)]).toEqual([
      true,
      false,
      true,
      true,
      false,
    ]);
    expect([at('>=', 2, 2), at('>=', 1, 2), at('==', 2, 2), at('!=', 2, 2), at('!=', 1, 2)]).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
  });
});
