import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/core/duration.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['2s', 2000],
    ['1.5s', 1500],
    ['1m', 60_000],
    ['1h', 3_600_000],
    ['0', 0],
    [0, 0],
  ] as const)('%s → %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['-1s', '10', 'abc', '1.5', '2 days', '', 's'])('rejects %j quoting it', (input) => {
    expect(() => parseDuration(input)).toThrow(
      input === '' ? /invalid duration/ : new RegExp(input.replace('.', '\\.')),
    );
  });

  it('rejects unit-less non-zero numbers', () => {
    expect(() => parseDuration(5)).toThrow(/no unit/);
  });

  it('formats', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(90_000)).toBe('1.5m');
  });
});
