import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ActionKind,
  buildExploreScenario,
  DEFAULT_EXPLORE_MANAGER,
  DEFAULT_FLEET,
  EXPLORE_INVARIANTS,
  type ExploreFleet,
  faultScheduleArbitrary,
  NETWORK_ACTIONS,
  PROCESS_ACTIONS,
  type ScheduledFault,
  targetReplicas,
  validateScenarioDocument,
} from '../../../../src/chaos/explore/index.js';
import { FC_SEED } from '../../../helpers/seed.js';

const seed = FC_SEED;
const ALL: ActionKind[] = [...NETWORK_ACTIONS, ...PROCESS_ACTIONS];

function problemsOf(schedule: ScheduledFault[], fleet: ExploreFleet = DEFAULT_FLEET): string[] {
  const doc = buildExploreScenario(schedule, {
    fleet,
    manager: DEFAULT_EXPLORE_MANAGER,
    invariants: EXPLORE_INVARIANTS,
    seed: 1,
  });
  const r = validateScenarioDocument(doc);
  return r.ok
    ? r.warnings.map((w) => `warning ${w.path}: ${w.message}`)
    : r.problems.map((p) => `${p.path}: ${p.message}`);
}

const options = (fleet: ExploreFleet = DEFAULT_FLEET) => ({
  fleet,
  callTimeoutMs: 1000,
  maxFaults: 4,
  actions: ALL,
});

describe('faultScheduleArbitrary', () => {
  it('every generated schedule passes the real scenario validator, without warnings', () => {
    fc.assert(
      fc.property(faultScheduleArbitrary(options()), (schedule) => {
        expect(problemsOf(schedule)).toEqual([]);
        expect(schedule.length).toBeGreaterThanOrEqual(1);
        expect(schedule.length).toBeLessThanOrEqual(4);
        for (const f of schedule) {
          expect(f.atMs).toBeGreaterThanOrEqual(0);
          expect(f.forMs).toBeGreaterThan(0);
          expect(f.atMs + f.forMs).toBeLessThanOrEqual(DEFAULT_FLEET.durationMs);
        }
      }),
      { seed, numRuns: 300 },
    );
  });

  it('stays valid on other fleets (2 and 5 replicas, short run)', () => {
    for (const fleet of [
      { ...DEFAULT_FLEET, replicas: 2, durationMs: 1000, server: 'weather' },
      { ...DEFAULT_FLEET, replicas: 5 },
    ]) {
      fc.assert(
        fc.property(faultScheduleArbitrary(options(fleet)), (s) => {
          expect(problemsOf(s, fleet)).toEqual([]);
        }),
        { seed, numRuns: 100 },
      );
    }
  });

  it('reaches every action kind and every kind of target', () => {
    const samples = fc.sample(faultScheduleArbitrary(options()), { seed, numRuns: 600 }).flat();
    const kinds = new Set<string>();
    const targets = new Set<string>();
    for (const f of samples) {
      targets.add(f.target);
      const a = f.action;
      if ('down' in a) kinds.add('down');
      else if ('process' in a) kinds.add(`process-${a.process}`);
      else if (a.toxic.type === 'timeout') kinds.add('blackhole');
      else if (a.toxic.type === 'latency')
        kinds.add(
          (a.toxic.attributes.latency ?? 0) > 1000 ? 'latency-over-timeout' : 'latency-under-timeout',
        );
      else kinds.add(a.toxic.type.replace('_', '-'));
    }
    expect([...kinds].sort()).toEqual([...ALL].sort());
    expect([...targets].sort()).toEqual(['svc[*]', 'svc[0]', 'svc[1]', 'svc[2]', 'svc[50%]']);
  });

  it('draws latency faults above and below the call timeout as named', () => {
    const lat = (k: ActionKind) =>
      fc
        .sample(faultScheduleArbitrary({ ...options(), actions: [k], partialToxicity: false }), {
          seed,
          numRuns: 200,
        })
        .flat()
        .map((f) => ('toxic' in f.action ? (f.action.toxic.attributes.latency ?? -1) : -1));
    for (const l of lat('latency-over-timeout')) expect(l).toBeGreaterThan(1000);
    for (const l of lat('latency-under-timeout')) {
      expect(l).toBeGreaterThanOrEqual(20);
      expect(l).toBeLessThan(1000);
    }
  });

  it('never has two faults of one kind overlapping on a shared endpoint', () => {
    fc.assert(
      fc.property(faultScheduleArbitrary(options()), (s) => {
        for (let i = 0; i < s.length; i++)
          for (let j = 0; j < i; j++) {
            const a = s[i] as ScheduledFault;
            const b = s[j] as ScheduledFault;
            const sameKind = JSON.stringify(kindKey(a)) === JSON.stringify(kindKey(b));
            const overlap = a.atMs < b.atMs + b.forMs && b.atMs < a.atMs + a.forMs;
            const shared = targetReplicas(a.target, 3).some((e) => targetReplicas(b.target, 3).includes(e));
            expect(sameKind && overlap && shared).toBe(false);
          }
      }),
      { seed, numRuns: 300 },
    );
  });

  it('shrinking keeps every candidate valid and ends at a minimal schedule', () => {
    // A deliberately failing predicate: "no fault hits replica 1 for 1s or more". Every value fast-check
    // tries — generated or shrunk — is validated.
    const seen: ScheduledFault[][] = [];
    const out = fc.check(
      fc.property(faultScheduleArbitrary(options()), (s) => {
        seen.push(s);
        return !s.some((f) => targetReplicas(f.target, 3).includes(1) && f.forMs >= 1000);
      }),
      { seed, numRuns: 200 },
    );
    expect(out.failed).toBe(true);
    const bad = seen.map((s) => problemsOf(s)).filter((p) => p.length > 0);
    expect(bad).toEqual([]);
    expect(seen.length).toBeGreaterThan(out.numRuns); // shrinking did try candidates
    const [shrunk] = out.counterexample ?? [];
    expect(shrunk).toBeDefined();
    expect(problemsOf(shrunk as ScheduledFault[])).toEqual([]);
    // Minimal: one fault, at 0, exactly 1s, the simplest action, on a target that includes replica 1
    // (fast-check's index shrinking may stop at svc[50%] or svc[*] rather than svc[1]).
    const [only, ...more] = shrunk as ScheduledFault[];
    expect(more).toEqual([]);
    expect({ ...only, target: undefined }).toEqual({
      atMs: 0,
      forMs: 1000,
      target: undefined,
      action: { down: true },
    });
    expect(targetReplicas((only as ScheduledFault).target, 3)).toContain(1);
  });
});

function kindKey(f: ScheduledFault): string {
  const a = f.action;
  if ('toxic' in a) return `toxic ${a.toxic.type} ${a.toxic.stream ?? 'downstream'}`;
  return 'down' in a ? 'down' : 'process';
}
