import { describe, expect, it } from 'vitest';
import { type BenchFigure, compareBench, regressions } from '../../../bench/compare.js';

const tput = (key: string, value: number): BenchFigure => ({ key, value, unit: 'calls/s', better: 'higher' });
const lat = (key: string, value: number, absTolerance?: number): BenchFigure => ({
  key,
  value,
  unit: 'ms',
  better: 'lower',
  ...(absTolerance === undefined ? {} : { absTolerance }),
});
const report = (...figures: BenchFigure[]) => ({ figures });

describe('compareBench', () => {
  it('flags throughput lower by more than the tolerance, not within it', () => {
    const base = report(tput('a', 1000), tput('b', 1000), tput('c', 1000));
    const rows = compareBench(report(tput('a', 740), tput('b', 760), tput('c', 1000)), base, 0.25);
    expect(rows.map((r) => [r.key, r.status])).toEqual([
      ['a', 'regression'],
      ['b', 'ok'],
      ['c', 'ok'],
    ]);
    expect(rows[0]?.change).toBeCloseTo(-0.26, 10);
    expect(regressions(rows).map((r) => r.key)).toEqual(['a']);
  });

  it('flags latency higher by more than the tolerance; lower latency is an improvement', () => {
    const base = report(lat('p99', 10), lat('p50', 10), lat('p999', 10));
    const rows = compareBench(report(lat('p99', 12.6), lat('p50', 12.4), lat('p999', 7)), base, 0.25);
    expect(rows.map((r) => r.status)).toEqual(['regression', 'ok', 'improved']);
  });

  it('higher throughput beyond the tolerance is an improvement, not a regression', () => {
    const rows = compareBench(report(tput('a', 2000)), report(tput('a', 1000)), 0.25);
    expect(rows[0]).toMatchObject({ status: 'improved', baseline: 1000, current: 2000, change: 1 });
    expect(regressions(rows)).toEqual([]);
  });

  it('ignores changes below a figure’s absolute tolerance', () => {
    const base = report(lat('p50', 0.2, 0.25), lat('p99', 2, 0.25));
    const rows = compareBench(report(lat('p50', 0.4, 0.25), lat('p99', 3, 0.25)), base, 0.25);
    expect(rows.map((r) => r.status)).toEqual(['ok', 'regression']);
  });

  it('reports missing and new figures without judging them', () => {
    const rows = compareBench(report(tput('new', 5)), report(tput('gone', 5)), 0.1);
    expect(rows).toEqual([
      { key: 'gone', unit: 'calls/s', better: 'higher', baseline: 5, status: 'missing' },
      { key: 'new', unit: 'calls/s', better: 'higher', current: 5, status: 'new' },
    ]);
    expect(regressions(rows)).toEqual([]);
  });

  it('never judges info figures or a zero / non-finite baseline', () => {
    const info: BenchFigure = { key: 'events', value: 1, unit: 'events', better: 'info' };
    const rows = compareBench(
      report({ ...info, value: 100 }, tput('zero', 5), tput('nan', 5)),
      report(info, tput('zero', 0), tput('nan', Number.NaN)),
      0.25,
    );
    expect(rows.map((r) => r.status)).toEqual(['info', 'info', 'info']);
    expect(rows[1]?.change).toBeUndefined();
  });

  it('tolerance 0 flags any move the wrong way', () => {
    const rows = compareBench(report(tput('a', 999)), report(tput('a', 1000)), 0);
    expect(rows[0]?.status).toBe('regression');
  });

  it('duplicate keys are compared once, first occurrence wins', () => {
    const rows = compareBench(report(tput('a', 1000), tput('a', 1)), report(tput('a', 1000), tput('a', 5)));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe('ok');
  });

  it('rejects a bad tolerance with a RangeError quoting it', () => {
    for (const t of [-0.1, Number.NaN, Number.POSITIVE_INFINITY, 10]) {
      expect(() => compareBench(report(), report(), t)).toThrow(RangeError);
    }
    expect(() => compareBench(report(), report(), -0.5)).toThrow('got -0.5');
  });
});
