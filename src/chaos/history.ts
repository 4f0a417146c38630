/**
 * The history of one run: every manager event plus the runner's own fault and phase events, in time
 * order. Invariants and thresholds are pure functions over it. Times are ms since the run's `origin`
 * (the start of load), so `t = 0` is when load begins and fault `at:` values line up directly.
 */
import type { ManagerEvent, ResilienceSettings } from '../manager/types.js';

/** A fault was injected or rolled back on one endpoint. */
export interface FaultEvent {
  type: 'fault';
  t: number;
  /** The fault's name (given, or `fault-<index>`). */
  fault: string;
  /** Endpoint id, e.g. `weather[0]`. */
  endpoint: string;
  action: 'inject' | 'rollback';
  kind: FaultKind;
  /** Toxic type, `down`, the process action (kill/restart/pause), or `mcp status N`. */
  detail: string;
}

/** What a fault does: a Toxiproxy toxic, its proxy down, a process action, or an MCP-aware fault. */
export type FaultKind = 'toxic' | 'down' | 'process' | 'mcp' | 'deploy';

/**
 * A step of a rolling deploy (run/deploy-runner.ts). `slot` is the replica's place (`weather[0]`),
 * `endpoint` the replica that step is about (`weather[0]#1`), `previous` the one it replaced.
 */
export interface DeployEvent {
  type: 'deploy';
  t: number;
  fault: string;
  server: string;
  action: DeployAction;
  slot?: string;
  endpoint?: string;
  previous?: string;
  detail?: string;
}

/**
 * start → per replica: ready (admitted) then replaced (the old one drained and stopped), added (scale
 * out), removed (scale in) or not-admitted → complete (the last batch served through its watch) or halted
 * (with why: a new replica not admitted, or in trouble while watched; the failing batch is reverted) →
 * restoring / restored (the fleet back to the version before the deploy: after `for`, or at rollback).
 */
export type DeployAction =
  | 'start'
  | 'ready'
  | 'replaced'
  | 'added'
  | 'removed'
  | 'not-admitted'
  | 'complete'
  | 'halted'
  | 'restoring'
  | 'restored';

/** Run phases, for windows and for reading a timeline. */
export interface PhaseEvent {
  type: 'phase';
  t: number;
  phase: 'steady-before' | 'load' | 'load-end' | 'rollback' | 'steady-after' | 'done';
}

export type HistoryEvent = ManagerEvent | FaultEvent | DeployEvent | PhaseEvent;

/** One tool call a replica executed or was sent (execution logs of mocks and relays), `t` relative to the origin. */
export interface ExecutionRecord {
  endpoint: string;
  tool: string;
  /** The logical call id the load stamped (`_meta["dev.mcp-chaos/call"]`), if it arrived. */
  call?: string;
  t: number;
  /**
   * The request reached the replica's relay and an `mcp` fault answered it in the server's place (the
   * action): never executed, but the replica was sent it (what `traffic-leaves-within` counts).
   */
  faulted?: string;
}

/** A fault as planned, with absolute times relative to load start. */
export interface PlannedFault {
  name: string;
  endpoints: string[];
  startT: number;
  /** undefined = until the end of load. */
  endT: number;
  kind: FaultKind;
  detail: string;
}

export interface History {
  /** Clock time (ms since epoch) that `t = 0` stands for. */
  origin: number;
  /** Load duration in ms. */
  durationMs: number;
  /** endpoint id → server name. */
  endpoints: Record<string, string>;
  /** server name → effective manager settings. */
  settings: Record<string, ResilienceSettings>;
  faults: PlannedFault[];
  /** In non-decreasing `t` order. */
  events: HistoryEvent[];
  /**
   * What the replicas executed, when every one keeps an execution log (mocks do); absent otherwise, so
   * invariants that need it can say they could not judge.
   */
  executions?: ExecutionRecord[];
  /**
   * Stalls of the harness's own event loop (≥ 50 ms), in time order: the loop was blocked for `ms` up to
   * `endT`. Timers of the load, the runner and the in-process manager fired that late (run/harness-monitor.ts).
   */
  stalls?: Array<{ endT: number; ms: number }>;
}

/** Appends events, rebasing `t` to the origin. Cheap: one push per event. */
export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  constructor(private origin: number) {}
  setOrigin(origin: number): void {
    this.origin = origin;
  }
  record(e: HistoryEvent, absolute = true): void {
    const t = absolute ? e.t - this.origin : e.t;
    this.events.push({ ...e, t });
  }
}
