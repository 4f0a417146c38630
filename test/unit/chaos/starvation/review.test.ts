/**
 * The starvation review: a failed check becomes inconclusive only when its failure is time-caused and falls
 * where the harness was starved beyond what the run's shortest timeout tolerates; everything else stays a
 * deviation, and without a starved stretch nothing changes.
 */
import { describe, expect, it } from 'vitest';
import type { HarnessSample, StarvedStretch } from '../../../../src/chaos/journal.js';
import { evaluateRun, verdictOf } from '../../../../src/chaos/run/index.js';
import { parseScenario, planScenario } from '../../../../src/chaos/scenario/index.js';
import {
  reviewStarvation,
  STARVED_FLOOR_MS,
  starvationBoundMs,
  starvationContext,
  starvedStretches,
} from '../../../../src/chaos/starvation/index.js';
import type { Outcome } from '../../../../src/manager/types.js';
import { HistoryBuilder } from '../invariants/history-builder.js';

const YAML = `
name: starvation-review
duration: 10s
servers:
  s: { replicas: 2, mock: {} }
manager:
  callTimeout: 1s
  health: { probe: none }
load:
  - { server: s, tool: echo, rate: 10/s }
invariants:
  - no-failed-idempotent-calls-while-healthy
thresholds:
  - availability >= 0.95
`;

/** The same scenario judging a black-box gateway (its own timeouts unknown to the harness). */
const GATEWAY_YAML = YAML.replace('manager:\n  callTimeout: 1s\n  health: { probe: none }\n', '')
  .replace('no-failed-idempotent-calls-while-healthy', 'no-lost-calls')
  .concat('sut:\n  gateway:\n    command: [gw, --port, "{port}"]\n    url: http://127.0.0.1:{port}/mcp\n');

function plan(yaml = YAML) {
  const r = parseScenario(yaml, 'review.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return planScenario(r.scenario);
}

const sample = (t: number, lagMs: number): HarnessSample => ({
  t,
  ms: 1000,
  loopP99Ms: lagMs / 2,
  loopMaxMs: lagMs,
  timerLateMaxMs: lagMs,
  lostMs: lagMs,
  sendLagMaxMs: lagMs,
  cpuShare: lagMs >= STARVED_FLOOR_MS ? 0.2 : 0.5,
  machineBusy: 1,
});

/** 10 s of calls every 50 ms; those starting in [4 s, 5 s) fail with `outcome`. */
function history(outcome: Outcome, latencyMs = 1000) {
  const h = new HistoryBuilder({
    servers: { s: 2 },
    durationMs: 10_000,
    settings: { health: { probe: 'none' } },
  });
  for (let t = 0; t < 10_000; t += 50) {
    const failing = t >= 4000 && t < 5000;
    h.call({ t, endpoint: `s[${(t / 50) % 2}]`, ...(failing ? { outcome, latencyMs } : {}) });
  }
  return h.build();
}

function judge(outcome: Outcome, samples: HarnessSample[], latencyMs?: number, yaml?: string) {
  const p = plan(yaml);
  const hist = history(outcome, latencyMs);
  const windows = { before: undefined, after: undefined };
  const e = evaluateRun(p, hist, windows);
  const stretches = starvedStretches(samples);
  reviewStarvation(p, hist, e, windows, starvationContext(p, hist, stretches));
  return { e, verdict: verdictOf(true, [], e), stretches };
}

const quiet = Array.from({ length: 10 }, (_, i) => sample(i * 1000, 8));
const starvedAt4 = quiet.map((s) => (s.t === 4000 ? sample(4000, 600) : s));

describe('starved stretches', () => {
  it('merge consecutive seconds at or above the floor, and keep the worst figures', () => {
    const s = starvedStretches([
      sample(0, 10),
      sample(1000, 150),
      sample(2000, 400),
      sample(3000, 20),
      sample(4000, 120),
    ]);
    expect(s.map((x: StarvedStretch) => [x.fromT, x.toT, x.worstMs])).toEqual([
      [1000, 3000, 400],
      [4000, 5000, 120],
    ]);
    expect(s[0]?.cpuShare).toBe(0.2);
    expect(starvedStretches(quiet)).toEqual([]);
  });

  it('a bound tied to the timeout: a quarter of it, never below the floor', () => {
    expect(starvationBoundMs(250)).toBe(STARVED_FLOOR_MS);
    expect(starvationBoundMs(2000)).toBe(500);
  });
});

describe('reviewing a failed run against the harness’s starvation', () => {
  it('timeouts inside a starved stretch make the check inconclusive: verdict inconclusive, exit 5', () => {
    const { e, verdict } = judge('timeout', starvedAt4);
    const t = e.thresholds[0];
    expect(t?.held).toBe(false);
    expect(t?.inconclusive).toMatch(
      /inconclusive: the 20 call\(s\) that failed by time fell where the harness itself was starved — \[4s, 5s\): event loop blocked up to 600ms/,
    );
    expect(t?.inconclusive).toMatch(/--time-scale 2/);
    const inv = e.invariants[0];
    expect(inv?.held).toBe(false);
    expect(inv?.inconclusive).toBeDefined();
    expect(verdict).toEqual({ verdict: 'inconclusive', exitCode: 5 });
  });

  it('refused connections in the same stretch stay a deviation', () => {
    const { e, verdict } = judge('connection', starvedAt4);
    expect(e.thresholds[0]?.held).toBe(false);
    expect(e.thresholds[0]?.inconclusive).toBeUndefined();
    expect(e.invariants[0]?.inconclusive).toBeUndefined();
    expect(verdict).toEqual({ verdict: 'deviated', exitCode: 1 });
  });

  it('a failure of any kind that ended past its deadline in the stretch failed by time: its timer came late', () => {
    // a reset processed 200 ms after the 1 s deadline should have fired: the deadline timer was late
    const { e, verdict } = judge('connection', starvedAt4, 1200);
    expect(e.thresholds[0]?.inconclusive).toMatch(/the 20 call\(s\) that failed by time/);
    expect(verdict.verdict).toBe('inconclusive');
    // the same, at idle, is a deviation
    expect(judge('connection', quiet, 1200).verdict.verdict).toBe('deviated');
  });

  it('at idle (no stretch) timeouts stay a deviation', () => {
    const { e, verdict, stretches } = judge('timeout', quiet);
    expect(stretches).toEqual([]);
    expect(e.thresholds[0]?.inconclusive).toBeUndefined();
    expect(verdict.verdict).toBe('deviated');
  });

  it('a stretch below the bound of the run’s shortest timeout explains nothing', () => {
    // 1 s call timeout: 250 ms of lag is needed; this second only reached 150 ms
    const { verdict } = judge(
      'timeout',
      quiet.map((s) => (s.t === 4000 ? sample(4000, 150) : s)),
    );
    expect(verdict.verdict).toBe('deviated');
  });

  it('under a black-box gateway, whose timeouts are unknown, a stretch at the floor explains its timeouts', () => {
    const at150 = quiet.map((s) => (s.t === 4000 ? sample(4000, 150) : s));
    const { e, verdict } = judge('timeout', at150, undefined, GATEWAY_YAML);
    expect(e.thresholds[0]?.inconclusive).toMatch(
      /beyond the 100ms that a system under test whose timeouts the harness cannot see tolerates/,
    );
    expect(verdict.verdict).toBe('inconclusive');
    // below the floor, still nothing
    expect(judge('timeout', quiet, undefined, GATEWAY_YAML).verdict.verdict).toBe('deviated');
  });

  it('a stretch far from the failures explains nothing', () => {
    const { verdict } = judge(
      'timeout',
      quiet.map((s) => (s.t === 9000 ? sample(9000, 600) : s)),
    );
    expect(verdict.verdict).toBe('deviated');
  });

  it('one check inconclusive and one deviated: the run deviated', () => {
    const p = plan();
    const h = new HistoryBuilder({
      servers: { s: 2 },
      durationMs: 10_000,
      settings: { health: { probe: 'none' } },
    });
    for (let t = 0; t < 10_000; t += 50) {
      const outcome: Outcome | undefined =
        t >= 4000 && t < 5000 ? 'timeout' : t >= 7000 && t < 7100 ? 'connection' : undefined;
      h.call({ t, endpoint: `s[${(t / 50) % 2}]`, ...(outcome ? { outcome } : {}) });
    }
    const hist = h.build();
    const windows = { before: undefined, after: undefined };
    const e = evaluateRun(p, hist, windows);
    reviewStarvation(p, hist, e, windows, starvationContext(p, hist, starvedStretches(starvedAt4)));
    // the threshold: 178/200 failed it; without the 20 timed-out calls in the stretch, 178/180 holds
    expect(e.thresholds[0]?.inconclusive).toBeDefined();
    // the invariant: the refused calls at 7 s are no one's lag but the system's
    expect(e.invariants[0]?.held).toBe(false);
    expect(e.invariants[0]?.inconclusive).toBeUndefined();
    expect(verdictOf(true, [], e).verdict).toBe('deviated');
  });
});
