import { describe, expect, it } from 'vitest';
import {
  counterexampleText,
  type ExploreOptions,
  explore,
  type Fault,
  parseScenario,
  type RunOptions,
  resolveExploreConfig,
  type Scenario,
  selectReplicas,
  type Verdict,
} from '../../../../src/chaos/index.js';
import { FakeClock } from '../../../../src/core/index.js';
import { FC_SEED } from '../../../helpers/seed.js';
import { fakeJournal } from './fake-journal.js';

const seed = FC_SEED;

function config() {
  const r = resolveExploreConfig({ processFaults: true });
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.config;
}

const hits = (f: Fault, replica: number) => selectReplicas(f.target.selector, 3).includes(replica);

/** A fake runner: `rule` decides the verdict from the scenario; each run takes 3 s of fake time. */
function fakeRunner(clock: FakeClock, rule: (s: Scenario) => { verdict: Verdict; failed?: string[] }) {
  const calls: Array<{ scenario: Scenario; options: RunOptions }> = [];
  const run = async (scenario: Scenario, options: RunOptions) => {
    calls.push({ scenario, options });
    clock.advance(3000);
    const r = rule(scenario);
    return fakeJournal(
      scenario,
      r.verdict,
      r.failed ?? [],
      r.verdict === 'infrastructure-error' ? ['boom'] : [],
    );
  };
  return { run, calls };
}

function base(clock: FakeClock, run: ExploreOptions['runScenario']): ExploreOptions {
  return { config: config(), seed, runs: 30, clock, runScenario: run, file: 'reports/x/counterexample.yaml' };
}

describe('explore (fake runner)', () => {
  it('finds a failing schedule and shrinks it to the minimal one', async () => {
    const clock = new FakeClock();
    // The "bug": replica 1 down for at least 1 s breaks no-lost-calls.
    const { run, calls } = fakeRunner(clock, (s) =>
      s.faults.some((f) => f.action.kind === 'down' && hits(f, 1) && (f.forMs ?? 0) >= 1000)
        ? { verdict: 'deviated', failed: ['no-lost-calls'] }
        : { verdict: 'passed' },
    );
    const r = await explore({ ...base(clock, run), runs: 200, maxShrinkRuns: 200 });
    expect(r.outcome).toBe('counterexample');
    const cx = r.counterexample;
    if (!cx) throw new Error('no counterexample');
    expect(cx.violated).toEqual(['no-lost-calls']);
    expect(cx.schedule).toHaveLength(1);
    expect(cx.schedule[0]).toMatchObject({ atMs: 0, forMs: 1000, action: { down: true } });
    expect(cx.shrinkCut).toBe(false);
    expect(r.runs).toBe(calls.length);
    expect(r.searchRuns + r.shrinkRuns).toBe(r.runs);
    // Every run got the explore seed, time scale, the counterexample path and a signal.
    for (const c of calls) {
      expect(c.options).toMatchObject({ seed, timeScale: 0.5, file: 'reports/x/counterexample.yaml' });
      expect(c.options.signal).toBeDefined();
    }

    const text = counterexampleText(r, {
      file: 'reports/x/counterexample.yaml',
      schemaRef: '../../schema.json',
    });
    expect(text.replay).toBe(
      `npx mcp-chaos run reports/x/counterexample.yaml --seed ${seed} --time-scale 0.5`,
    );
    expect(text.yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema.json');
    const loaded = parseScenario(text.yaml, 'counterexample.yaml');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(loaded.scenario.seed).toBe(seed);
    expect(loaded.scenario.description).toContain('no-lost-calls');
    expect(loaded.scenario.description).toContain(`seed ${seed}`);
    expect(loaded.scenario.faults).toHaveLength(1);
    // The written file fails the same rule: it reproduces.
    expect(fakeJournal(loaded.scenario, 'passed').invariants.map((i) => i.name)).toContain('no-lost-calls');
    expect(loaded.scenario.faults.some((f) => f.action.kind === 'down' && hits(f, 1))).toBe(true);
    expect(text.readme).toContain(text.replay);
    expect(text.readme).toContain('no-lost-calls broke');
  });

  it('finds nothing when every run holds, and runs exactly the requested number', async () => {
    const clock = new FakeClock();
    const { run, calls } = fakeRunner(clock, () => ({ verdict: 'passed' }));
    const r = await explore({ ...base(clock, run), runs: 12 });
    expect(r.outcome).toBe('passed');
    expect(r.counterexample).toBeUndefined();
    expect(r.searchRuns + r.cacheHits).toBe(12);
    expect(calls.length).toBe(r.searchRuns);
    expect(r.shrinkRuns).toBe(0);
  });

  it('caps shrinking at maxShrinkRuns and says the result may not be minimal', async () => {
    const clock = new FakeClock();
    const { run } = fakeRunner(clock, (s) =>
      s.faults.length > 0
        ? { verdict: 'deviated', failed: ['breaker-rejects-while-open'] }
        : { verdict: 'passed' },
    );
    const r = await explore({ ...base(clock, run), maxShrinkRuns: 2 });
    expect(r.outcome).toBe('counterexample');
    expect(r.searchRuns).toBe(1);
    expect(r.shrinkRuns).toBeLessThanOrEqual(2);
    expect(r.counterexample?.shrinkCut).toBe(true);
  });

  it('keeps shrinking on the same invariant: a smaller schedule breaking another one is not taken', async () => {
    const clock = new FakeClock();
    // Two or more faults break no-lost-calls; one fault at 0 s (which shrinking reaches, but the generator
    // rarely draws) breaks another invariant.
    const { run } = fakeRunner(clock, (s) => {
      if (s.faults.length >= 2) return { verdict: 'deviated', failed: ['no-lost-calls'] };
      if (s.faults[0]?.atMs === 0) return { verdict: 'deviated', failed: ['ejection-limit-respected'] };
      return { verdict: 'passed' };
    });
    const r = await explore({ ...base(clock, run), maxShrinkRuns: 100 });
    const cx = r.counterexample;
    if (!cx) throw new Error('no counterexample');
    expect(cx.violated).toEqual(cx.originalViolated);
    expect(cx.schedule.length >= 2).toBe(cx.violated.includes('no-lost-calls'));
  });

  it('does not count infrastructure errors as counterexamples and stops after 3 in a row', async () => {
    const clock = new FakeClock();
    const { run, calls } = fakeRunner(clock, () => ({ verdict: 'infrastructure-error' }));
    const r = await explore({ ...base(clock, run), runs: 10 });
    expect(r.outcome).toBe('infrastructure');
    expect(r.counterexample).toBeUndefined();
    expect(calls.length).toBe(3);
    expect(r.infrastructureErrors).toHaveLength(3);
    expect(r.infrastructureErrors[0]?.errors).toEqual(['boom']);
  });

  it('treats a runner that throws as an infrastructure error', async () => {
    const clock = new FakeClock();
    const r = await explore({
      ...base(clock, async () => {
        throw new Error('port taken');
      }),
      runs: 2,
      maxInfrastructureErrors: 5,
    });
    expect(r.outcome).toBe('infrastructure');
    expect(r.infrastructureErrors.map((x) => x.errors)).toEqual([['port taken'], ['port taken']]);
  });

  it('starts no run after the time limit', async () => {
    const clock = new FakeClock();
    const { run, calls } = fakeRunner(clock, () => ({ verdict: 'passed' }));
    const r = await explore({ ...base(clock, run), runs: 50, timeLimitMs: 10_000 });
    expect(calls.length).toBe(4); // at 0, 3, 6 and 9 s
    expect(r.timedOut).toBe(true);
    expect(r.outcome).toBe('passed');
  });

  it('rejects bad options with RangeError', async () => {
    const clock = new FakeClock();
    const { run } = fakeRunner(clock, () => ({ verdict: 'passed' }));
    await expect(explore({ ...base(clock, run), seed: -1 })).rejects.toThrow(RangeError);
    await expect(explore({ ...base(clock, run), runs: 0 })).rejects.toThrow(RangeError);
    await expect(explore({ ...base(clock, run), timeScale: 0 })).rejects.toThrow(RangeError);
  });
});

describe('explore (abort)', () => {
  it('stops on abort: the run in flight is not counted as an infrastructure error', async () => {
    const clock = new FakeClock();
    const ac = new AbortController();
    let n = 0;
    const run = async (scenario: Scenario, options: RunOptions) => {
      n++;
      if (n === 2) ac.abort(new Error('interrupted by SIGINT'));
      expect(options.signal?.aborted).toBe(n === 2);
      return fakeJournal(scenario, n === 2 ? 'infrastructure-error' : 'passed', [], ['aborted']);
    };
    const r = await explore({ ...base(clock, run), runs: 10, signal: ac.signal });
    expect(n).toBe(2);
    expect(r.outcome).toBe('aborted');
    expect(r.infrastructureErrors).toEqual([]);
  });
});
