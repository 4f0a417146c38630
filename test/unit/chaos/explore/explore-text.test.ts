import { describe, expect, it } from 'vitest';
import {
  type ExploredRun,
  exploredRunLine,
  parseInvariantEntry,
  parseManagerSection,
  scheduleLine,
} from '../../../../src/chaos/index.js';

describe('explore text helpers', () => {
  it('parses a manager section from YAML or JSON, with or without a manager: wrapper', () => {
    expect(parseManagerSection('breaker: { failures: 1000 }')).toEqual({ breaker: { failures: 1000 } });
    expect(parseManagerSection('{"retry": {"attempts": 1}}')).toEqual({ retry: { attempts: 1 } });
    expect(parseManagerSection('manager:\n  callTimeout: 2s\n')).toEqual({ callTimeout: '2s' });
    expect(() => parseManagerSection('- a list')).toThrow(/expected a map/);
    expect(() => parseManagerSection('a: [')).toThrow(RangeError);
  });

  it('parses invariant entries', () => {
    expect(parseInvariantEntry('no-lost-calls')).toBe('no-lost-calls');
    expect(parseInvariantEntry('failover-within: {availability: 0.95}')).toEqual({
      'failover-within': { availability: 0.95 },
    });
    expect(parseInvariantEntry('breaker-opens-within:')).toEqual({ 'breaker-opens-within': {} });
    expect(() => parseInvariantEntry('a: 1')).toThrow(/expected a name/);
    expect(() => parseInvariantEntry('{a: {}, b: {}}')).toThrow(RangeError);
    expect(() => parseInvariantEntry('')).toThrow(RangeError);
  });

  it('describes schedules and runs on one line', () => {
    const schedule = [
      { atMs: 1200, forMs: 500, target: 'svc[0]', action: { down: true as const } },
      {
        atMs: 0,
        forMs: 2000,
        target: 'svc[*]',
        action: { toxic: { type: 'timeout' as const, toxicity: 0.5, attributes: { timeout: 0 } } },
      },
    ];
    expect(scheduleLine(schedule)).toBe(
      'svc[0] down @1.2s+500ms; svc[*] timeout timeout=0 toxicity=0.5 @0ms+2s',
    );
    const run: ExploredRun = {
      index: 4,
      phase: 'shrink',
      schedule: schedule.slice(0, 1),
      result: { kind: 'violated', invariants: ['no-lost-calls'] },
      cached: false,
      elapsedMs: 2650,
      kept: true,
    };
    expect(exploredRunLine(run, 20)).toBe(
      '[shrink 4] svc[0] down @1.2s+500ms → VIOLATED no-lost-calls (smaller counterexample) (2.65s)',
    );
    expect(
      exploredRunLine(
        { ...run, phase: 'search', kept: undefined, cached: true, result: { kind: 'held' } },
        20,
      ),
    ).toBe('[search 4/20] svc[0] down @1.2s+500ms → held (cached)');
  });
});
