import { describe, expect, it } from 'vitest';
import { parseCheck } from '../../../../src/chaos/checks/index.js';

describe('parseCheck', () => {
  it('parses every metric, op and window', () => {
    expect(parseCheck('availability >= 0.995')).toEqual({
      expression: 'availability >= 0.995',
      metric: 'availability',
      op: '>=',
      value: 0.995,
      window: { kind: 'whole' },
    });
    expect(parseCheck('  p(99) < 250ms ')).toMatchObject({
      expression: 'p(99) < 250ms',
      metric: 'p',
      percentile: 99,
      value: 250,
    });
    expect(parseCheck('p(99.9)<1.5s')).toMatchObject({ percentile: 99.9, op: '<', value: 1500 });
    expect(parseCheck('avg <= 50ms over 2s')).toMatchObject({
      metric: 'avg',
      window: { kind: 'over', ms: 2000 },
    });
    expect(parseCheck('max == 0')).toMatchObject({ metric: 'max', op: '==', value: 0 });
    expect(parseCheck('error_rate < 1%')).toMatchObject({ metric: 'error_rate', value: 0.01 });
    expect(parseCheck('calls > 100 during faults')).toMatchObject({
      metric: 'calls',
      op: '>',
      value: 100,
      window: { kind: 'during-faults' },
    });
    expect(parseCheck('p(95) < 100ms after recovery').window).toEqual({ kind: 'after-recovery' });
    expect(parseCheck('availability != 1').op).toBe('!=');
    expect(parseCheck('availability{server=weather} >= 99%')).toMatchObject({
      server: 'weather',
      value: 0.99,
    });
    expect(parseCheck('availability{ server: "a b" } >= 0.5').server).toBe('a b');
  });

  it('throws RangeError quoting the expression and the problem', () => {
    const cases: Array<[string, RegExp]> = [
      ['latency < 5ms', /invalid check "latency < 5ms": unknown metric "latency"/],
      ['p(0) < 5ms', /percentile 0 must be in \(0, 100\]/],
      ['p(101) < 5ms', /percentile 101/],
      ['availability 0.9', /expected a comparison/],
      ['availability >=', /missing value/],
      ['availability >= 1.5', /must be a fraction in \[0, 1\]/],
      ['availability >= 120%', /must be a fraction/],
      ['p(99) < 250', /latency value: duration "250" has no unit/],
      ['calls >= 1.5', /non-negative integer/],
      ['avg < 5ms over', /missing duration after "over"/],
      ['avg < 5ms over 2', /window: duration "2" has no unit/],
      ['avg < 5ms over 0', /must be longer than 0/],
      ['avg < 5ms during', /unexpected "during"/],
      ['avg < 5ms after recovery now', /unexpected "now"/],
      ['availability{region=x} > 0', /tag like \{server=NAME\}/],
    ];
    for (const [text, re] of cases) {
      expect(() => parseCheck(text), text).toThrow(RangeError);
      expect(() => parseCheck(text), text).toThrow(re);
    }
  });
});
