import { describe, expect, it } from 'vitest';
import { isChaosError } from '../../../src/core/index.js';
import { journalProblems, parseJournal, renderJson } from '../../../src/report/index.js';
import { makeJournal } from './fixture-journal.js';

describe('parseJournal', () => {
  it('round-trips renderJson, restoring open-ended faults (saved as null) to Infinity', () => {
    const j = makeJournal();
    const fault = j.faults[1];
    if (!fault) throw new Error('fixture changed');
    fault.endT = Number.POSITIVE_INFINITY;
    const text = renderJson(j);
    expect(text).toContain('"endT": null');
    expect(parseJournal(text)).toEqual(j);
  });

  it('lists every problem of a non-journal, with a stable error code', () => {
    const bad = { ...makeJournal(), version: 2, seed: 'x', lanes: [{ endpoint: 1 }], steadyState: {} };
    expect(journalProblems(bad)).toEqual([
      'version: expected 1, got 2',
      'seed: expected a number',
      'steadyState: expected {before: [], after: []}',
      'lanes[0]: expected {endpoint, breaker: [], health: []}',
    ]);
    try {
      parseJournal(JSON.stringify(bad), 'x.json');
      expect.unreachable();
    } catch (e) {
      expect(isChaosError(e, 'INVALID_ARGUMENT')).toBe(true);
      expect((e as Error).message).toMatch(/^x\.json is not an mcp-chaos journal:\n {2}version: expected 1/);
    }
    expect(journalProblems([])).toEqual(['the top level must be a JSON object']);
  });

  it('reports invalid JSON with the file name', () => {
    expect(() => parseJournal('{oops', 'run/journal.json')).toThrow(
      /^run\/journal\.json is not valid JSON: /,
    );
  });
});
