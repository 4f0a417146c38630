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
  | 'interrupted';

export interface CheckResult {
  /** As written, e.g. `availability >= 0.995` or `p(99) < 250ms during faults`. */
  expression: string;
  held: boolean;
  /** Measured value(s) and the window, e.g. "0.9981 over [0s, 12s]". */
  actual: string;
  /** Where it failed, for windowed checks (ms since load start). */
  failedAtT?: number;
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
  /** 130: interrupted (the CLI exits 143 for SIGTERM). */
  exitCode: 0 | 1 | 2 | 3 | 4 | 130;
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
  /** Infrastructure or input errors, if any. */
  errors: string[];
  /** The full history, unless it was too large (then `historyTruncated` is true and events are sampled). */
  history?: History;
  historyTruncated?: boolean;
}
