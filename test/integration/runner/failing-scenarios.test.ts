/**
 * Each invariant/threshold/steady-state check can fail: deliberately broken scenarios (fixtures in
 * test/fixtures/scenarios/failing/) must end `deviated`, exit code 1, with the named check failed and its
 * violation described — while rollback still succeeds.
 */
import { describe, expect, it } from 'vitest';
import { type Journal, loadScenarioFile, runScenario } from '../../../src/chaos/index.js';
import { startToxiproxy } from '../../../src/proxy/index.js';

const dir = 'test/fixtures/scenarios/failing';

async function run(file: string): Promise<Journal> {
  const r = await loadScenarioFile(`${dir}/${file}`);
  if (!r.ok) throw new Error(`${file} is invalid: ${JSON.stringify(r.problems)}`);
  return runScenario(r.scenario, { startToxiproxy: ({ seed }) => startToxiproxy({ port: 0, seed }) });
}

function expectDeviated(j: Journal): void {
  expect(j.verdict).toBe('deviated');
  expect(j.exitCode).toBe(1);
  expect(j.errors).toEqual([]);
  expect(j.rollback.ok).toBe(true);
  expect(j.replay).toMatch(new RegExp(`^npx mcp-chaos run ${dir}/.+\\.yaml --seed ${j.seed}$`));
}

function invariant(j: Journal, name: string) {
  const found = j.invariants.find((i) => i.name === name);
  if (!found) throw new Error(`no invariant ${name} in the journal`);
  return found;
}

describe.sequential('deliberately failing scenarios', () => {
  it('a breaker that needs 1000 failures fails breaker-opens-within', { timeout: 30_000 }, async () => {
    const j = await run('breaker-never-opens.yaml');
    expectDeviated(j);
    const inv = invariant(j, 'breaker-opens-within');
    expect(inv.held).toBe(false);
    expect(inv.violations[0]?.endpoint).toBe('weather[0]');
    expect(inv.violations[0]?.message).toMatch(/did not open within 1500ms/);
    expect(invariant(j, 'no-lost-calls').held).toBe(true);
  });

  it('slow health probes fail health-detects-within', { timeout: 30_000 }, async () => {
    const j = await run('slow-health-detection.yaml');
    expectDeviated(j);
    const inv = invariant(j, 'health-detects-within');
    expect(inv.held).toBe(false);
    expect(inv.violations[0]?.endpoint).toBe('weather[1]');
    expect(inv.violations[0]?.message).toMatch(/did not become unhealthy within 1000ms/);
  });

  it('no retries, breaker, health or ejection: failover-within fails', { timeout: 30_000 }, async () => {
    const j = await run('no-failover-without-protection.yaml');
    expectDeviated(j);
    const inv = invariant(j, 'failover-within');
    expect(inv.held).toBe(false);
    expect(inv.violations[0]?.message).toMatch(/is below 0\.99/);
    expect(j.summary.byOutcome.connection ?? 0).toBeGreaterThan(10);
  });

  it('an impossible threshold fails and names its measured value', { timeout: 30_000 }, async () => {
    const j = await run('impossible-threshold.yaml');
    expectDeviated(j);
    const [p99, availability] = j.thresholds;
    expect(p99?.expression).toBe('p(99) < 1ms');
    expect(p99?.held).toBe(false);
    expect(p99?.actual).toMatch(/p\(99\) \d+(\.\d+)?ms/);
    expect(availability?.held).toBe(true);
  });

  it('a broken steady state fails before and after', { timeout: 30_000 }, async () => {
    const j = await run('steady-state-broken.yaml');
    expectDeviated(j);
    expect(j.steadyState.before.map((c) => c.held)).toEqual([false]);
    expect(j.steadyState.after.map((c) => c.held)).toEqual([false]);
    expect(j.steadyState.before[0]?.actual).toMatch(/availability 0\.\d+/);
  });

  it('black-box: a gateway that does not fail over fails failover-within', { timeout: 60_000 }, async () => {
    const j = await run('gateway-without-failover.yaml');
    expectDeviated(j);
    expect(j.sut).toEqual({
      kind: 'gateway',
      command: expect.stringMatching(/ gateway --config \S+ --port \d+$/),
    });
    const inv = invariant(j, 'failover-within');
    expect(inv.held).toBe(false);
    expect(inv.violations[0]?.message).toMatch(/weather availability .* is below 0\.95/);
    // black-box: the history holds the load's calls only, never the gateway's own state
    expect(new Set(j.history?.events.map((e) => e.type))).not.toContain('attempt-start');
    expect(j.summary.byOutcome.success ?? 0).toBeGreaterThan(20);
  });

  it('black-box: a gateway that keeps calling a 503-storming replica fails traffic-leaves-within', {
    timeout: 60_000,
  }, async () => {
    const j = await run('gateway-storm-unprotected.yaml');
    expectDeviated(j);
    const inv = invariant(j, 'traffic-leaves-within');
    expect(inv.held).toBe(false);
    expect(inv.violations[0]?.endpoint).toBe('weather[0]');
    expect(inv.violations[0]?.message).toMatch(
      /weather\[0\] was still sent \d+ calls .*answered by the fault: status/,
    );
    const faulted = (j.history?.executions ?? []).filter((e) => e.faulted === 'status');
    expect(faulted.length).toBeGreaterThan(10);
  });
});
