/**
 * A realistic journal for report tests: 12 s of load at ~200 calls/s in 250 ms buckets, three endpoints,
 * two faults (a blackhole on weather[0], weather[1] down), breaker and health lanes that react to them,
 * and one failed invariant (health detection too slow). Deterministic (seeded).
 */

import type { Violation } from '../../../src/chaos/invariants/invariant.js';
import type { EndpointLane, Journal, TimeBucket } from '../../../src/chaos/journal.js';
import { SeededRng } from '../../../src/core/index.js';

const BUCKET_MS = 250;
const DURATION_MS = 12_000;

function timeline(): TimeBucket[] {
  const rng = new SeededRng(42);
  const out: TimeBucket[] = [];
  for (let t = 0; t < DURATION_MS; t += BUCKET_MS) {
    const calls = 50 + rng.int(-3, 3);
    const blackholeUndetected = t >= 3000 && t < 4250; // before weather[0]'s breaker opens
    const downRetries = t >= 8000 && t < 8500;
    const failed = blackholeUndetected
      ? rng.int(4, 9)
      : downRetries
        ? rng.int(0, 2)
        : rng.chance(0.1)
          ? 1
          : 0;
    const rejected = t >= 4250 && t < 4750 ? rng.int(0, 3) : 0;
    const p50Ms = 2 + rng.uniform(0, 1.5) + (blackholeUndetected ? 4 : 0);
    const p99Ms = blackholeUndetected
      ? 950 + rng.uniform(0, 60)
      : downRetries
        ? 40 + rng.uniform(0, 15)
        : 9 + rng.uniform(0, 6);
    out.push({ t, calls, ok: calls - failed - rejected, failed, rejected, p50Ms, p99Ms });
  }
  return out;
}

function lanes(): EndpointLane[] {
  return [
    {
      endpoint: 'weather[0]',
      breaker: [
        { fromT: 0, toT: 4210, state: 'closed' },
        { fromT: 4210, toT: 6210, state: 'open' },
        { fromT: 6210, toT: 6240, state: 'half-open' },
        { fromT: 6240, toT: 8240, state: 'open' },
        { fromT: 8240, toT: 8260, state: 'half-open' },
        { fromT: 8260, toT: DURATION_MS, state: 'closed' },
      ],
      health: [
        { fromT: 0, toT: 120, state: 'unknown' },
        { fromT: 120, toT: 4020, state: 'healthy' },
        { fromT: 4020, toT: 7600, state: 'unhealthy' },
        { fromT: 7600, toT: DURATION_MS, state: 'healthy' },
      ],
      calls: 820,
      failures: 61,
    },
    {
      endpoint: 'weather[1]',
      breaker: [
        { fromT: 0, toT: 8030, state: 'closed' },
        { fromT: 8030, toT: 10030, state: 'open' },
        { fromT: 10030, toT: 10045, state: 'half-open' },
        { fromT: 10045, toT: DURATION_MS, state: 'closed' },
      ],
      health: [
        { fromT: 0, toT: 110, state: 'unknown' },
        { fromT: 110, toT: 8900, state: 'healthy' },
        { fromT: 8900, toT: 10600, state: 'unhealthy' },
        { fromT: 10600, toT: DURATION_MS, state: 'healthy' },
      ],
      calls: 790,
      failures: 12,
    },
    {
      endpoint: 'weather[2]',
      breaker: [{ fromT: 0, toT: DURATION_MS, state: 'closed' }],
      health: [
        { fromT: 0, toT: 130, state: 'unknown' },
        { fromT: 130, toT: DURATION_MS, state: 'healthy' },
      ],
      calls: 1012,
      failures: 1,
    },
  ];
}

/** `n` violations of health-detects-within, with realistic text. */
export function makeViolations(n: number): Violation[] {
  const out: Violation[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      message: `weather[0] marked unhealthy ${1020 + (i % 50)}ms after fault "blackhole-0" began (limit 500ms)`,
      t: 3000 + i,
      endpoint: 'weather[0]',
      events: [],
    });
  }
  return out;
}

/** A complete, realistic journal; `overrides` replace top-level fields. */
/** The harness lane of a 12 s run: quiet seconds, one busy, one starved (at 6 s). */
function harness(): NonNullable<Journal['harness']> {
  const lag = (i: number) => (i === 6 ? 420 : i === 5 ? 70 : 3 + (i % 3));
  const samples = Array.from({ length: 12 }, (_, i) => ({
    t: i * 1000,
    ms: 1000,
    loopP99Ms: lag(i) / 2,
    loopMaxMs: lag(i),
    timerLateMaxMs: lag(i),
    lostMs: lag(i) * 2,
    sendLagMaxMs: lag(i),
    cpuShare: i === 6 ? 0.21 : 0.45,
    machineBusy: i === 6 ? 1 : 0.3,
  }));
  return {
    samples,
    stretches: [
      {
        fromT: 6000,
        toT: 7000,
        worstMs: 420,
        loopMaxMs: 420,
        timerLateMaxMs: 420,
        sendLagMaxMs: 420,
        lostMs: 840,
        cpuShare: 0.21,
        machineBusy: 1,
      },
    ],
    floorMs: 100,
    lostFloorMs: 250,
    pressureFloor: 0.5,
  };
}

export function makeJournal(overrides: Partial<Journal> = {}): Journal {
  const tl = timeline();
  const calls = tl.reduce((n, b) => n + b.calls, 0);
  const failed = tl.reduce((n, b) => n + b.failed + b.rejected, 0);
  const journal: Journal = {
    version: 1,
    scenario: {
      name: 'replica-blackholed-fails-over',
      description: 'One of three replicas drops every byte; traffic moves to the other two.',
      file: 'scenarios/replica-blackholed-fails-over.yaml',
    },
    seed: 7,
    timeScale: 1,
    versions: { mcpChaos: '0.1.0', node: 'v20.19.0', sdk: '1.32.2', toxiproxy: '2.12.0' },
    toxiproxyUrl: 'http://127.0.0.1:8474',
    startedAt: '2026-11-24T02:00:00.000Z',
    endedAt: '2026-11-24T02:00:15.250Z',
    verdict: 'deviated',
    exitCode: 1,
    replay: 'npx mcp-chaos run scenarios/replica-blackholed-fails-over.yaml --seed 7',
    summary: {
      calls,
      succeeded: calls - failed,
      failed,
      availability: (calls - failed) / calls,
      p50Ms: 2.6,
      p95Ms: 11.8,
      p99Ms: 961,
      maxMs: 1003,
      retries: 143,
      breakerOpenings: 3,
      healthTransitions: 10,
      ejections: 1,
      byOutcome: { success: calls - failed, timeout: failed - 6, 'circuit-open': 6 },
    },
    steadyState: {
      before: [{ expression: 'availability >= 0.99 over 2s', held: true, actual: '1.0000 over [-2s, 0s]' }],
      after: [{ expression: 'availability >= 0.99 over 2s', held: true, actual: '0.9990 over [12s, 14s]' }],
    },
    invariants: [
      {
        name: 'no-lost-calls',
        held: true,
        params: {},
        violations: [],
        violationCount: 0,
        summary: `${calls} calls started, ${calls} ended`,
      },
      {
        name: 'breaker-rejects-while-open',
        held: true,
        params: {},
        violations: [],
        violationCount: 0,
        summary: '3 open intervals, 0 attempts admitted while open',
      },
      {
        name: 'half-open-trial-limit',
        held: true,
        params: { trials: 1 },
        violations: [],
        violationCount: 0,
        summary: '3 half-open intervals, at most 1 trial each',
      },
      {
        name: 'health-detects-within',
        held: false,
        params: { within: 500 },
        violations: makeViolations(2),
        violationCount: 2,
        summary: '2 faults, 1 detected late',
      },
    ],
    thresholds: [
      {
        expression: 'availability >= 0.97',
        held: true,
        actual: `${((calls - failed) / calls).toFixed(4)} over [0s, 12s]`,
      },
      { expression: 'p(95) < 100ms after recovery', held: true, actual: '11.2ms over [12s, 12s]' },
    ],
    rollback: {
      ok: true,
      actions: ['removed toxic blackhole-0 on weather[0]', 'enabled proxy weather[1]'],
      errors: [],
    },
    faults: [
      {
        name: 'blackhole-0',
        endpoints: ['weather[0]'],
        startT: 3000,
        endT: 7000,
        kind: 'toxic',
        detail: 'timeout',
      },
      {
        name: 'weather-1-down',
        endpoints: ['weather[1]'],
        startT: 8000,
        endT: 10_000,
        kind: 'down',
        detail: 'down',
      },
    ],
    timeline: tl,
    lanes: lanes(),
    harness: harness(),
    errors: [],
  };
  return { ...journal, ...overrides };
}
