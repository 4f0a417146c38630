/**
 * Every shipped scenario in scenarios/ runs green, compressed with time scale 0.5, through the real
 * runner (in-process: embedded Toxiproxy, mocks, manager; child processes where a scenario needs them).
 * Sequential on purpose: the scenarios measure timing and must not compete with each other for CPU.
 * No retries: a scenario that fails here fails.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, runScenario } from '../../src/chaos/index.js';
import { startToxiproxy } from '../../src/proxy/index.js';
import { unbackedClaims } from './description-claims.js';
import { failures } from './journal-text.js';

const dir = 'scenarios';
/**
 * Scenarios run at full scale: their thresholds weigh a roughly fixed number of failed calls (per flap;
 * before a broken deploy halts) against calls per second, and time scaling shortens the window but not
 * the rate.
 */
// stdio-stalled-and-cut: a stdio replica is three processes (bridge, relay's child) on the call's path; at
// ×0.5 its 150 ms attempt deadline is less than a busy machine's scheduling takes them (test:busy)
const FULL_SCALE = new Set([
  'flapping-replica-backed-off.yaml',
  'broken-deploy-halts.yaml',
  'stdio-stalled-and-cut.yaml',
]);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** Set by `npm run test:busy` (scripts/test-busy.mjs): the machine is busy on purpose. */
const BUSY = process.env.MCP_CHAOS_BUSY !== undefined;

describe.sequential('shipped scenarios (time scale 0.5)', () => {
  it('there are at least 10, each with a schema line and a description', async () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) {
      const r = await loadScenarioFile(join(dir, f));
      expect(r.ok, `${f} is valid`).toBe(true);
      if (r.ok) expect(r.scenario.description?.length ?? 0, `${f} has a description`).toBeGreaterThan(40);
    }
  });

  for (const f of files) {
    const timeScale = FULL_SCALE.has(f) ? 1 : 0.5;
    it(`${f} (×${timeScale})`, { timeout: 60_000 }, async () => {
      const r = await loadScenarioFile(join(dir, f));
      if (!r.ok) throw new Error(`${f} is invalid`);
      const journal = await runScenario(r.scenario, {
        timeScale,
        startToxiproxy: ({ seed }) => startToxiproxy({ port: 0, seed }),
      });
      expect(journal.rollback.ok).toBe(true);
      expect(journal.summary.calls).toBeGreaterThan(50);
      expect(journal.faults.length).toBeGreaterThan(0);
      // on a machine made busy on purpose (npm run test:busy) a run may be inconclusive — every check that
      // failed, failed by time where the harness was starved, and says so — but never deviated
      if (BUSY && journal.verdict === 'inconclusive') {
        expect(journal.exitCode).toBe(5);
        const failed = [...journal.steadyState.before, ...journal.invariants, ...journal.thresholds];
        for (const c of failed.filter((x) => !x.held))
          expect(c.inconclusive).toMatch(/harness itself was starved/);
        return;
      }
      expect(journal.verdict, failures(journal)).toBe('passed');
      expect(journal.exitCode).toBe(0);
      // what the description says the run shows — breaker, ejection, health, failover — it shows
      expect(unbackedClaims(journal)).toEqual([]);
      if (timeScale !== 1) expect(journal.replay).toContain(`--time-scale ${timeScale}`);
    });
  }
});
