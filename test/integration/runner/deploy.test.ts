/**
 * Deploys through the real runner: real mocks (stdio children spawned by the manager; HTTP mocks behind
 * the embedded Toxiproxy), the real manager admitting and draining. A version the manager cannot speak is
 * never admitted and halts the deploy with the old fleet serving; a fault that targets a slot after a
 * deploy hits the replica filling it; a failing deploy check says why. A stdio child here runs the mock
 * through tsx and takes 1.5 s to start on a quiet machine and more on a busy one, so the deploy's bound is loose.
 */
import { describe, expect, it } from 'vitest';
import type { DeployEvent, FaultEvent } from '../../../src/chaos/history.js';
import { type Journal, parseScenario, runScenario } from '../../../src/chaos/index.js';
import { startToxiproxy } from '../../../src/proxy/index.js';

async function run(text: string): Promise<Journal> {
  const r = parseScenario(text, 'inline.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return runScenario(r.scenario, { startToxiproxy: ({ seed }) => startToxiproxy({ port: 0, seed }) });
}

const deploySteps = (j: Journal) =>
  (j.history?.events ?? [])
    .filter((e): e is DeployEvent => e.type === 'deploy')
    .map((e) => `${e.action}${e.endpoint ? ` ${e.endpoint}` : ''}`);

describe.sequential('deploys through the runner', () => {
  it('stdio: a rolling deploy of children the manager spawns; a later kill follows the slot', {
    timeout: 60_000,
  }, async () => {
    const j = await run(`name: stdio-deploy
seed: 7
duration: 10s
servers:
  tools:
    replicas: 2
    mock: {transport: stdio, latency: 1ms}
manager:
  protocol: legacy   # one child start per replica (auto would probe 2026-07-28 in a first child)
  health: {probe: ping, interval: 200ms, timeout: 250ms}
  fleet: {slowStart: 200ms, drain: 1s}
load:
  - {server: tools, tool: add, args: {a: 1, b: 2}, rate: 30/s, idempotent: true}
faults:
  - {name: v2, at: 500ms, target: tools, deploy: {mock: {latency: 3ms}, every: 300ms}}
  - {name: crash, at: 7s, target: 'tools[0]', process: kill}
invariants:
  - deploy-completes-within: {fault: v2, within: 9s}
  - acknowledged-executed
thresholds:
  - availability >= 0.95
`);
    expect(j.errors).toEqual([]);
    expect(j.verdict, JSON.stringify(j.invariants.concat(j.thresholds as never))).toBe('passed');
    expect(deploySteps(j).slice(0, 6)).toEqual([
      'start',
      'ready tools[0]#1',
      'replaced tools[0]#1',
      'ready tools[1]#1',
      'replaced tools[1]#1',
      'complete',
    ]);
    const kill = (j.history?.events ?? []).find(
      (e): e is FaultEvent => e.type === 'fault' && e.fault === 'crash',
    );
    expect(kill?.endpoint).toBe('tools[0]#1');
    expect(j.faults.find((f) => f.name === 'crash')?.endpoints).toEqual(['tools[0]#1']);
    // the killed child was the new one, and the manager started it again
    const restarted = (j.history?.events ?? []).some(
      (e) =>
        e.type === 'connection' && e.endpoint === 'tools[0]#1' && e.kind === 'process-restart' && e.t > 7000,
    );
    expect(restarted).toBe(true);
    expect(j.rollback.ok).toBe(true);
  });

  it('a version the manager cannot speak is never admitted: the deploy halts, the old fleet serves', {
    timeout: 60_000,
  }, async () => {
    const j = await run(`name: unspeakable-deploy
seed: 8
duration: 5s
servers:
  weather:
    replicas: 2
    mock: {latency: 1ms}
manager:
  protocol: legacy
  health: {probe: ping, interval: 200ms, timeout: 250ms}
  fleet: {admitTimeout: 1s}
load:
  - {server: weather, tool: add, args: {a: 1, b: 2}, rate: 40/s, idempotent: true}
faults:
  - {name: v2026, at: 500ms, target: weather, deploy: {mock: {protocol: modern}, every: 300ms}}
invariants:
  - deploy-halts-within: {fault: v2026, within: 3s}
  - deploy-completes-within: {fault: v2026, within: 4s}
thresholds:
  - availability >= 1 during faults
`);
    expect(j.errors).toEqual([]);
    expect(deploySteps(j)).toEqual(['start', 'not-admitted weather[0]#1', 'halted']);
    const halts = j.invariants.find((i) => i.name === 'deploy-halts-within');
    expect(halts?.held, halts?.summary).toBe(true);
    const completes = j.invariants.find((i) => i.name === 'deploy-completes-within');
    expect(completes?.held).toBe(false);
    expect(completes?.summary).toMatch(
      /^deploy v2026 halted at .*weather\[0\]#1 not admitted: .*PROTOCOL|version|2026/i,
    );
    // (on a busy machine a threshold may be inconclusive, never failed)
    expect(j.thresholds.every((t) => t.held || t.inconclusive !== undefined)).toBe(true);
    expect(j.verdict).toBe('deviated'); // deploy-completes-within failed, as it should
    // nothing was left to restore; only the two original replicas carried calls
    expect(j.rollback.actions.some((a) => a.startsWith('restore the fleet'))).toBe(false);
    expect(
      j.lanes
        .filter((l) => l.calls > 0)
        .map((l) => l.endpoint)
        .sort(),
    ).toEqual(['weather[0]', 'weather[1]']);
  });
});
