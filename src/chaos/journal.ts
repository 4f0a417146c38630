/**
 * The journal: plain data describing one scenario run. Reports are rendered from it alone, so a saved
 * `journal.json` can be re-rendered later (`mcp-chaos report`).
 */
import type { History } from './history.js';
import type { InvariantResult } from './invariants/invariant.js';

export type Verdict =
  | 'passed'
  | 'deviated'
  | 'invalid'
  | 'infrastructure-error'
  | 'rollback-failed'
  // stopped by SIGINT/SIGTERM before it ended (its faults rolled back): no verdict on the system
  | 'interrupted'
  // the only failures were time-caused, inside stretches where the harness itself was starved
  | 'inconclusive';

export interface CheckResult {
  /** As written, e.g. `availability >= 0.995` or `p(99) < 250ms during faults`. */
  expression: string;
  held: boolean;
  /** Measured value(s) and the window, e.g. "0.9981 over [0s, 12s]". */
  actual: string;
  /** Where it failed, for windowed checks (ms since load start). */
  failedAtT?: number;
  /**
   * Set when it did not hold only because of calls that failed by time inside stretches where the harness
   * was starved: why it is inconclusive, naming the stretch (chaos/starvation/review.ts).
   */
  inconclusive?: string;
}

/** One second of the harness watching itself (run/harness-monitor.ts). */
export interface HarnessSample {
  /** Start of the sample, ms since load start (negative before load). */
  t: number;
  /** Its length (ms, about 1000). */
  ms: number;
  /** Event-loop delay of this process beyond the 10 ms sampling resolution: p99 and max (ms). */
  loopP99Ms: number;
  loopMaxMs: number;
  /** The longest lateness of the harness's own 20 ms timer, and the time lost to lateness in all (ms). */
  timerLateMaxMs: number;
  lostMs: number;
  /** How far behind schedule the load sent a call, at worst (ms). */
  sendLagMaxMs: number;
  /** CPU time this process got ÷ wall time (1 = one core). */
  cpuShare: number;
  /** Share of the whole machine's CPU time that was busy (0…1). */
  machineBusy: number;
  /**
   * Linux CPU pressure (PSI "some"): the share of the second in which some runnable task — this process,
   * a server or relay it started, anything on the machine — waited for a CPU (0…1; absent elsewhere).
   */
  cpuPressure?: number;
}

/** Consecutive seconds in which the harness was starved (a sample's worst lateness ≥ the floor). */
export interface StarvedStretch {
  fromT: number;
  toT: number;
  /**
   * How much the stretch could delay a timeout (ms): the worst of loop delay, timer lateness and send lag,
   * or the time lost in one of its seconds, whichever is more.
   */
  worstMs: number;
  loopMaxMs: number;
  timerLateMaxMs: number;
  sendLagMaxMs: number;
  /** Time lost to lateness in the stretch (ms). */
  lostMs: number;
  /** Lowest CPU share this process got, highest machine busy share and CPU pressure, in the stretch. */
  cpuShare: number;
  machineBusy: number;
  cpuPressure?: number;
}

/** The machine's calibration before a run (run/preflight.ts). */
export interface PreflightResult {
  /** How long it measured (ms). */
  ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
  timerLateMaxMs: number;
  machineBusy: number;
  /** The highest CPU pressure (Linux PSI) it saw, 0…1. */
  cpuPressure?: number;
  /** The shortest timeout the scenarios configure (ms), and the stall it tolerates. */
  smallestTimeoutMs: number;
  toleratedMs: number;
  /** False when the machine is already too busy for that timeout. */
  ok: boolean;
  message: string;
}

/** The harness lane: how starved the harness was, second by second. */
export interface HarnessLane {
  samples: HarnessSample[];
  /**
   * Seconds whose worst lateness reached `floorMs`, whose lost time reached `lostFloorMs`, or whose CPU
   * pressure reached `pressureFloor`, merged.
   */
  stretches: StarvedStretch[];
  floorMs: number;
  lostFloorMs: number;
  /** A second whose CPU pressure reached this share is starved too. */
  pressureFloor: number;
  preflight?: PreflightResult;
}

/** One bucket of the time series (for charts). */
export interface TimeBucket {
  t: number; // bucket start, ms since load start
  calls: number;
  ok: number;
  failed: number;
  rejected: number;
  p50Ms: number;
  p99Ms: number;
}

export interface EndpointLane {
  endpoint: string;
  /** State intervals for charts: breaker and health over time. */
  breaker: Array<{ fromT: number; toT: number; state: string }>;
  health: Array<{ fromT: number; toT: number; state: string }>;
  /** The MCP era spoken to the endpoint over time (from its `era` connection events; absent if none). */
  eras?: Array<{ fromT: number; toT: number; era: 'modern' | 'legacy' }>;
  /** In a live fleet: when it was joining, serving and draining (absent for an endpoint there all along). */
  fleet?: Array<{ fromT: number; toT: number; state: 'joining' | 'serving' | 'draining' }>;
  calls: number;
  failures: number;
}

export interface Journal {
  version: 1;
  scenario: { name: string; description?: string; file?: string };
  seed: number;
  timeScale: number;
  versions: { mcpChaos: string; node: string; sdk: string; toxiproxy: string };
  toxiproxyUrl: string;
  /** The system under test: the in-process manager, or a gateway process (its command, token hidden). */
  sut?: { kind: 'manager' } | { kind: 'gateway'; command: string };
  startedAt: string; // ISO
  endedAt: string; // ISO
  verdict: Verdict;
  /** The verdict's exit code (verdict-exit.ts; the CLI exits 143 for SIGTERM where the journal says 130). */
  exitCode: 0 | 1 | 2 | 3 | 4 | 5 | 130;
  /** Command that replays this run with its seed. */
  replay: string;
  summary: {
    calls: number;
    succeeded: number;
    failed: number;
    availability: number;
    p50Ms: number;
    p95Ms: number;
    p99Ms: number;
    maxMs: number;
    retries: number;
    breakerOpenings: number;
    healthTransitions: number;
    ejections: number;
    byOutcome: Record<string, number>;
  };
  steadyState: { before: CheckResult[]; after: CheckResult[] };
  invariants: InvariantResult[];
  thresholds: CheckResult[];
  rollback: { ok: boolean; actions: string[]; errors: string[] };
  faults: History['faults'];
  timeline: TimeBucket[];
  lanes: EndpointLane[];
  /** The harness watching itself (absent in journals older than it). */
  harness?: HarnessLane;
  /** Infrastructure or input errors, if any. */
  errors: string[];
  /** The full history, unless it was too large (then `historyTruncated` is true and events are sampled). */
  history?: History;
  historyTruncated?: boolean;
}
