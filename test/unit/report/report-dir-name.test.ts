import { describe, expect, it } from 'vitest';
import { reportDirName, scenarioSlug } from '../../../src/report/index.js';

describe('reportDirName', () => {
  it('is <ISO timestamp without colons>-<slug>', () => {
    expect(
      reportDirName({ startedAt: '2026-11-24T02:00:05.123Z', scenario: { name: 'Replica Blackholed!' } }),
    ).toBe('2026-11-24T02-00-05.123Z-replica-blackholed');
  });
  it('normalises offsets to UTC so names sort by start time', () => {
    const a = reportDirName({ startedAt: '2026-11-24T03:00:00+02:00', scenario: { name: 'x' } });
    const b = reportDirName({ startedAt: '2026-11-24T02:00:00Z', scenario: { name: 'x' } });
    expect(a).toBe('2026-11-24T01-00-00.000Z-x');
    expect([b, a].sort()).toEqual([a, b]);
  });
  it('never yields path separators, dot-dot or an empty slug', () => {
    for (const name of [
      '../../etc/passwd',
      '/',
      '',
      '..',
      'a\\b',
      '<script>',
      'ü'.repeat(20),
      'x'.repeat(300),
    ]) {
      const slug = scenarioSlug(name);
      expect(slug).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
      expect(slug).not.toContain('..');
      expect(slug.length).toBeLessThanOrEqual(80);
    }
    expect(reportDirName({ startedAt: 'yesterday', scenario: { name: 'x' } })).toBe('unknown-time-x');
  });
});
