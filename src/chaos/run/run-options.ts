/** Options of {@link runScenario} and the progress/log shapes it reports through. */
import type { Clock } from '../../core/clock.js';
import type { PreflightResult } from '../journal.js';

/** A started Toxiproxy-compatible server the runner owns (the embedded one). */
export interface OwnedToxiproxy {
  url: string;
  close(): Promise<void>;
}

/** Live numbers for a progress display (matches the CLI's ProgressSnapshot). */
export interface RunProgress {
  scenario: string;
  /**
   * Where the run is: `before` load (start-up and the steady-state window; `elapsedMs` since the run
   * started), `load`, or `after` it (calls in flight finishing, rollback, the steady-state window after;
   * `elapsedMs` since load start, so past `durationMs`).
   */
  stage: 'before' | 'load' | 'after';
  /** A black-box system under test (`gateway`); absent for the in-process manager. */
  sut?: string;
  /** ms since load start (`before`: since the run started). Never decreases within a stage. */
  elapsedMs: number;
  /** Planned load duration (ms). */
  durationMs: number;
  /** Calls finished so far. */
  calls: number;
  /** Calls finished with anything but success. */
  errors: number;
  /** Finished calls per second over the last progress interval. */
  callsPerSec: number;
  /** endpoint id → breaker state. */
  breakers: Record<string, string>;
  /** How late the harness itself ran over about the last second (ms): its worst timer or send lag. */
  harnessLagMs: number;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One structured log line (the CLI decides whether and how to print it). */
export interface RunLogEntry {
  level: LogLevel;
  msg: string;
  /** e.g. `{pid: 1234, endpoint: 'weather[0]'}` for a started process. */
  fields?: Record<string, unknown>;
}

export interface RunOptions {
  /** Seed of the run (default: the scenario's `seed`, else random). Printed in the journal. */
  seed?: number;
  /** Multiplies every duration of the scenario (default 1; < 1 compresses it). */
  timeScale?: number;
  /**
   * A running Toxiproxy (real or embedded) to use, e.g. from `TOXIPROXY_URL`. When unset the runner
   * calls {@link startToxiproxy} and closes what it started at the end.
   */
  toxiproxyUrl?: string;
  /**
   * Starts an embedded Toxiproxy on 127.0.0.1, port 0 (chaos/ cannot import proxy/: the CLI or a test
   * passes `startToxiproxy` from src/proxy). Required when no `toxiproxyUrl` is given and a scenario
   * has HTTP endpoints.
   */
  startToxiproxy?: (o: { seed: number }) => Promise<OwnedToxiproxy>;
  /** Aborting it stops the run early; rollback still runs (verdict infrastructure-error, error "aborted"). */
  signal?: AbortSignal;
  clock?: Clock;
  /** Called about every `progressIntervalMs` while load runs. */
  onProgress?: (p: RunProgress) => void;
  /** Progress interval (ms, default 250). */
  progressIntervalMs?: number;
  log?: (entry: RunLogEntry) => void;
  /** The scenario file as the user named it, for the journal and the replay command. */
  file?: string;
  /** Longest wait for in-flight calls after load ends (ms, default: longest call timeout + 2000). */
  drainTimeoutMs?: number;
  /** Keep at most this many history events in the journal (default 200 000); beyond, events are sampled. */
  maxJournalEvents?: number;
  /** The machine's calibration before the run (run/preflight.ts), recorded in the journal. */
  preflight?: PreflightResult;
}
