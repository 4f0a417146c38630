import { describe, expect, it } from 'vitest';
import {
  BREAK_PRESETS,
  breakPreset,
  DEFAULT_EXPLORE_MANAGER,
  EXPLORE_INVARIANTS,
  invariantName,
  KNOWN_INVARIANTS,
  mergeInvariants,
  mergeManager,
  resolveExploreConfig,
} from '../../../../src/chaos/index.js';

describe('resolveExploreConfig', () => {
  it('defaults: the exploration manager, the correct-manager invariants, network faults only', () => {
    const r = resolveExploreConfig();
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.config.manager).toEqual(DEFAULT_EXPLORE_MANAGER);
    expect(r.config.invariants).toEqual(EXPLORE_INVARIANTS);
    expect(r.config.callTimeoutMs).toBe(1000);
    expect(r.config.actions.some((a) => a.startsWith('process'))).toBe(false);
    expect(resolveExploreConfig({ processFaults: true })).toMatchObject({
      ok: true,
      config: { actions: expect.arrayContaining(['process-kill', 'process-pause', 'process-restart']) },
    });
  });

  it('with process faults, the default set leaves out failover-within (unless added back)', () => {
    const names = (r: ReturnType<typeof resolveExploreConfig>) =>
      r.ok ? r.config.invariants.map(invariantName) : [];
    expect(names(resolveExploreConfig())).toContain('failover-within');
    expect(names(resolveExploreConfig({ processFaults: true }))).not.toContain('failover-within');
    expect(names(resolveExploreConfig({ actions: ['down', 'process-pause'] }))).not.toContain(
      'failover-within',
    );
    expect(
      names(resolveExploreConfig({ processFaults: true, extraInvariants: ['failover-within'] })),
    ).toContain('failover-within');
  });

  it('every default invariant is one the runner knows', () => {
    for (const e of EXPLORE_INVARIANTS) expect(KNOWN_INVARIANTS).toContain(invariantName(e));
  });

  it('every --break preset yields a valid configuration that adds its invariant', () => {
    for (const name of Object.keys(BREAK_PRESETS)) {
      const r = resolveExploreConfig({ breakPreset: name });
      if (!r.ok) throw new Error(`${name}: ${r.problems.join('\n')}`);
      for (const e of breakPreset(name).invariants) expect(r.config.invariants).toContainEqual(e);
      expect(r.config.breakPreset).toBe(name);
    }
  });

  it('reports bad input with the path of the problem, before anything runs', () => {
    const bad = resolveExploreConfig({ manager: { breaker: { failures: 0 }, callTimeot: '1s' } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.join('\n')).toMatch(/manager.breaker.failures/);
    expect(bad.problems.join('\n')).toMatch(/callTimeot/);
    const unknown = resolveExploreConfig({ breakPreset: 'nope' });
    expect(unknown).toMatchObject({ ok: false });
    if (!unknown.ok) expect(unknown.problems[0]).toMatch(/unknown --break "nope" \(known: /);
    expect(resolveExploreConfig({ extraInvariants: ['no-such-invariant'] }).ok).toBe(false);
    expect(resolveExploreConfig({ maxFaults: 0 }).ok).toBe(false);
    expect(resolveExploreConfig({ fleet: { replicas: 1 } }).ok).toBe(false);
  });

  it('reads the call timeout of an overridden manager', () => {
    const r = resolveExploreConfig({ manager: { callTimeout: '2s' } });
    expect(r.ok && r.config.callTimeoutMs).toBe(2000);
  });
});

describe('mergeManager / mergeInvariants', () => {
  it('deep-merges, replacing scalars and arrays', () => {
    const m = mergeManager(
      { breaker: { failures: 3, openFor: '1s', countedFailures: ['timeout'] }, callTimeout: '1s' },
      { breaker: { openFor: '2s', countedFailures: ['connection'] } },
    );
    expect(m).toEqual({
      breaker: { failures: 3, openFor: '2s', countedFailures: ['connection'] },
      callTimeout: '1s',
    });
  });

  it('replaces the whole breaker when the override names a policy', () => {
    const m = mergeManager(DEFAULT_EXPLORE_MANAGER, { breaker: { policy: 'rate', minCalls: 10 } });
    expect(m.breaker).toEqual({ policy: 'rate', minCalls: 10 });
    expect(resolveExploreConfig({ manager: { breaker: { policy: 'rate', minCalls: 10 } } }).ok).toBe(true);
  });

  it('does not mutate its inputs', () => {
    const base = structuredClone(DEFAULT_EXPLORE_MANAGER);
    mergeManager(DEFAULT_EXPLORE_MANAGER, { health: { interval: '1s' } });
    expect(DEFAULT_EXPLORE_MANAGER).toEqual(base);
  });

  it('an added invariant replaces one of the same name', () => {
    const out = mergeInvariants(
      ['no-lost-calls', { 'half-open-trial-limit': {} }],
      [{ 'half-open-trial-limit': { max: 1 } }],
    );
    expect(out).toEqual(['no-lost-calls', { 'half-open-trial-limit': { max: 1 } }]);
  });
});

describe('action selection', () => {
  it('accepts known action kinds, rejects unknown ones and an empty list', () => {
    const r = resolveExploreConfig({ actions: ['down', 'blackhole', 'down', 'process-kill'] });
    expect(r.ok && r.config.actions).toEqual(['down', 'blackhole', 'process-kill']);
    const bad = resolveExploreConfig({ actions: ['down', 'meteor'] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]).toMatch(/unknown action "meteor" \(known: down, blackhole/);
    expect(resolveExploreConfig({ actions: [] }).ok).toBe(false);
  });
});
