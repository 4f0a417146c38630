import { describe, expect, it } from 'vitest';
import {
  DurationSchema,
  parseTarget,
  ratePerSecond,
  selectReplicas,
} from '../../../../src/chaos/scenario/scalars.js';

describe('durations', () => {
  it.each(['250ms', '2s', '1.5s', '1m', '1h', '0', 0])('accepts %s', (v) => {
    expect(DurationSchema.safeParse(v).success).toBe(true);
  });

  it.each([
    [500, 'has no unit'],
    ['500', 'has no unit'],
    [-1, 'must not be negative'],
    ['-2s', 'must not be negative'],
    ['2 s', 'invalid duration'],
    ['2sec', 'invalid duration'],
    [true, 'expected a duration'],
    [null, 'expected a duration'],
  ])('rejects %j with "%s"', (v, msg) => {
    const r = DurationSchema.safeParse(v);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain(msg);
  });
});

describe('rates', () => {
  it('converts per-minute and per-second rates to calls/s', () => {
    expect(ratePerSecond('200/s')).toBe(200);
    expect(ratePerSecond('6000/m')).toBe(100);
    expect(ratePerSecond('0.5/s')).toBe(0.5);
  });

  it('throws RangeError quoting a malformed rate', () => {
    expect(() => ratePerSecond('200')).toThrow(/"200"/);
  });
});

describe('targets', () => {
  it('parses every form', () => {
    expect(parseTarget('weather[2]')).toMatchObject({
      server: 'weather',
      selector: { kind: 'index', index: 2 },
    });
    expect(parseTarget('weather[*]')).toMatchObject({ server: 'weather', selector: { kind: 'all' } });
    expect(parseTarget('weather')).toMatchObject({ server: 'weather', selector: { kind: 'all' } });
    expect(parseTarget('local-tools[50%]')).toMatchObject({
      server: 'local-tools',
      selector: { kind: 'percent', percent: 50 },
    });
  });

  it.each(['weather[-1]', 'weather[]', 'weather(0)', '[0]', 'weather[0%]', 'weather[150%]', 'a b'])(
    'rejects %s',
    (t) => {
      expect(typeof parseTarget(t)).toBe('string');
    },
  );

  it('selects the first ceil(p% x replicas) replicas, at least one', () => {
    expect(selectReplicas({ kind: 'percent', percent: 50 }, 3)).toEqual([0, 1]);
    expect(selectReplicas({ kind: 'percent', percent: 70 }, 10)).toHaveLength(7);
    expect(selectReplicas({ kind: 'percent', percent: 1 }, 4)).toEqual([0]);
    expect(selectReplicas({ kind: 'percent', percent: 100 }, 4)).toEqual([0, 1, 2, 3]);
    expect(selectReplicas({ kind: 'all' }, 2)).toEqual([0, 1]);
    expect(selectReplicas({ kind: 'index', index: 1 }, 2)).toEqual([1]);
  });
});
