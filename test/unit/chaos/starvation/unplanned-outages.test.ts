/**
 * Outages the scenario did not plan: when a fault outlasts its plan into the next replica's planned fault,
 * every replica of the server is out together; the failures there judge the environment, so a check they
 * alone failed is inconclusive. Anything else — a planned overlap, the tail of the only replica's restart,
 * wrong answers, failures elsewhere — stays a deviation.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRun, verdictOf } from '../../../../src/chaos/run/index.js';
import { parseScenario, planScenario } from '../../../../src/chaos/scenario/index.js';
import { reviewUnplannedOutages, unplannedOutages } from '../../../../src/chaos/starvation/index.js';
import type { Outcome } from '../../../../src/manager/types.js';
import { HistoryBuilder } from '../invariants/history-builder.js';

const YAML = `
name: unplanned-outage
duration: 10s
servers:
  s: { replicas: 2, mock: {} }
manager:
  callTimeout: 1s
  health: { probe: none }
load:
  - { server: s, tool: echo, rate: 20/s }
thresholds:
  - availability >= 0.95
`;

type Restart = { endpoint: string; startT: number; plannedEndT: number; endT: number };

/** Calls every 50 ms over 10 s; those starting in `failing` fail with `outcome`. */
function history(restarts: Restart[], failing: [number, number], outcome: Outcome, replicas = 2) {
  const h = new HistoryBuilder({
    servers: { s: replicas },
    durationMs: 10_000,
    settings: { health: { probe: 'none' } },
  });
  for (const [i, r] of restarts.entries()) {
    const f = { name: `restart-${i}`, endpoints: [r.endpoint], kind: 'process' as const, detail: 'restart' };
    h.fault({ ...f, startT: r.startT, endT: r.plannedEndT, events: false });
    h.event({
      type: 'fault',
      t: r.startT,
      fault: f.name,
      endpoint: r.endpoint,
      action: 'inject',
      kind: f.kind,
      detail: f.detail,
    });
    h.event({
      type: 'fault',
      t: r.endT,
      fault: f.name,
      endpoint: r.endpoint,
      action: 'rollback',
      kind: f.kind,
      detail: f.detail,
    });
  }
  for (let t = 0; t < 10_000; t += 50) {
    const fails = t >= failing[0] && t < failing[1];
    h.call({ t, endpoint: `s[${(t / 50) % replicas}]`, ...(fails ? { outcome, latencyMs: 5 } : {}) });
  }
  return h.build();
}

function judge(hist: ReturnType<typeof history>) {
  const r = parseScenario(YAML, 'outage.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const p = planScenario(r.scenario);
  const windows = { before: undefined, after: undefined };
  const e = evaluateRun(p, hist, windows);
  reviewUnplannedOutages(p, hist, e, windows, 3000);
  return { threshold: e.thresholds[0], verdict: verdictOf(true, [], e).verdict };
}

/** s[0]'s restart, planned for 0.5 s, takes 3 s and runs into s[1]'s planned restart at 3 s. */
const overran: Restart[] = [
  { endpoint: 's[0]', startT: 1000, plannedEndT: 1500, endT: 4000 },
  { endpoint: 's[1]', startT: 3000, plannedEndT: 3500, endT: 3800 },
];

describe('unplanned outages', () => {
  it('a restart that overran into the other replica’s: every replica out together, the overrun named', () => {
    const o = unplannedOutages(history(overran, [0, 0], 'connection'));
    expect(o).toEqual([
      {
        server: 's',
        fromT: 3000,
        toT: 3800,
        overruns: ['restart of s[0] took 3s (planned 0.5s)', 'restart of s[1] took 0.8s (planned 0.5s)'],
      },
    ]);
  });

  it('connection failures there alone failed the threshold: inconclusive, exit 5, the outage named', () => {
    const { threshold, verdict } = judge(history(overran, [3000, 4500], 'connection'));
    expect(threshold?.held).toBe(false);
    expect(threshold?.inconclusive).toMatch(
      /30 call\(s\) failed where every replica of s was out together in \[3s, 3\.8s\), which the scenario did not plan \(restart of s\[0\] took 3s \(planned 0\.5s\)/,
    );
    expect(verdict).toBe('inconclusive');
  });

  it('wrong answers there stay a deviation', () => {
    const { threshold, verdict } = judge(history(overran, [3000, 4500], 'tool-error'));
    expect(threshold?.inconclusive).toBeUndefined();
    expect(verdict).toBe('deviated');
  });

  it('failures beyond the outage’s reach stay a deviation', () => {
    const { threshold, verdict } = judge(history(overran, [3000, 8000], 'connection'));
    expect(threshold?.inconclusive).toBeUndefined();
    expect(verdict).toBe('deviated');
  });

  it('a planned overlap is no excuse: both replicas planned out together', () => {
    const planned: Restart[] = [
      { endpoint: 's[0]', startT: 1000, plannedEndT: 3500, endT: 3500 },
      { endpoint: 's[1]', startT: 3000, plannedEndT: 3500, endT: 3500 },
    ];
    const hist = history(planned, [3000, 4500], 'connection');
    expect(unplannedOutages(hist)).toEqual([]);
    expect(judge(hist).verdict).toBe('deviated');
  });

  it('the only replica taking longer to start than planned is the fault itself, not an unplanned outage', () => {
    const single: Restart[] = [{ endpoint: 's[0]', startT: 1000, plannedEndT: 1500, endT: 4000 }];
    const hist = history(single, [1000, 4500], 'connection', 1);
    expect(unplannedOutages(hist)).toEqual([]);
    expect(judge(hist).verdict).toBe('deviated');
  });

  it('restarts that overran without meeting: nothing to review', () => {
    const apart: Restart[] = [
      { endpoint: 's[0]', startT: 1000, plannedEndT: 1500, endT: 2800 },
      { endpoint: 's[1]', startT: 3000, plannedEndT: 3500, endT: 4800 },
    ];
    expect(unplannedOutages(history(apart, [0, 0], 'connection'))).toEqual([]);
  });
});
