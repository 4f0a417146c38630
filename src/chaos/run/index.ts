/**
 * The scenario runner: `runScenario(planOrScenario, options) → Journal`, and the pieces it is built from
 * (usable on their own: load generator, fault timeline, Toxiproxy control, managed processes).
 */

export { findChildPids } from './child-pids.js';
export { allHeld, type Evaluation, evaluateRun, type SteadyWindows } from './evaluate.js';
export {
  type FaultActuator,
  type FaultStep,
  FaultTimeline,
  faultDetail,
  type ProcessAction,
} from './fault-timeline.js';
export { replayCommand, verdictOf } from './journal-builder.js';
export {
  callsDue,
  LoadGenerator,
  type LoadGeneratorOptions,
  type LoadStream as GeneratedStream,
  type StreamCounters,
} from './load-generator.js';
export { ManagedProcess, type ProcessExit, type ProcessSpec } from './managed-process.js';
export {
  drainTimeoutMs,
  recoverySettleMs,
  steadyWindowMs,
  toFaultSteps,
  toLoadStreams,
} from './plan-adapter.js';
export { allocatePorts } from './ports.js';
export { PREFLIGHT_MS, plansSmallestTimeoutMs, preflight } from './preflight.js';
export { mcpAnswers, pollUntil, tcpAccepts } from './ready.js';
export { RollbackLog, type RollbackResult } from './rollback.js';
export type { LogLevel, OwnedToxiproxy, RunLogEntry, RunOptions, RunProgress } from './run-options.js';
export { runScenario } from './run-scenario.js';
export { type CreatedProxy, type ToxicHandle, ToxiproxyControl } from './toxiproxy-control.js';
