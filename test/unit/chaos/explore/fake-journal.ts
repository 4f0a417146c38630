import {
  type InvariantResult,
  type Journal,
  type Scenario,
  VERDICT_EXIT,
  type Verdict,
} from '../../../../src/chaos/index.js';

/** A minimal journal with the given verdict and failed invariants (no history). */
export function fakeJournal(
  scenario: Scenario,
  verdict: Verdict,
  failed: string[] = [],
  errors: string[] = [],
  seed = 1,
): Journal {
  const invariants: InvariantResult[] = scenario.invariants.map((i) => ({
    name: i.name,
    held: !failed.includes(i.name),
    params: {},
    violations: failed.includes(i.name) ? [{ message: `${i.name} broke`, t: 0, events: [] }] : [],
    violationCount: failed.includes(i.name) ? 1 : 0,
    summary: failed.includes(i.name) ? `${i.name}: 1 violation` : 'ok',
  }));
  const exitCode = VERDICT_EXIT[verdict];
  return {
    version: 1,
    scenario: { name: scenario.name, file: scenario.file },
    seed,
    timeScale: 1,
    versions: { mcpChaos: '0', node: '20', sdk: '1', toxiproxy: 'fake' },
    toxiproxyUrl: 'http://127.0.0.1:1',
    startedAt: new Date(0).toISOString(),
    endedAt: new Date(0).toISOString(),
    verdict,
    exitCode,
    replay: `npx mcp-chaos run ${scenario.file} --seed ${seed}`,
    summary: {
      calls: 0,
      succeeded: 0,
      failed: 0,
      availability: 1,
      p50Ms: 0,
      p95Ms: 0,
      p99Ms: 0,
      maxMs: 0,
      retries: 0,
      breakerOpenings: 0,
      healthTransitions: 0,
      ejections: 0,
      byOutcome: {},
    },
    steadyState: { before: [], after: [] },
    invariants,
    thresholds: [],
    rollback: { ok: verdict !== 'rollback-failed', actions: [], errors: [] },
    faults: [],
    timeline: [],
    lanes: [],
    errors,
  };
}
