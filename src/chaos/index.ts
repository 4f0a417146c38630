/**
 * The chaos pipeline's public API (the CLI enters chaos/ only here): load/validate/plan scenarios, run
 * them, check invariants and thresholds, summarise histories, and the journal/history contracts.
 */

export * from './checks/index.js';
export * from './explore/index.js';
export type { FaultEvent, History, HistoryEvent, PhaseEvent, PlannedFault } from './history.js';
export { HistoryRecorder } from './history.js';
export * from './invariants/index.js';
export type {
  CheckResult,
  EndpointLane,
  HarnessLane,
  HarnessSample,
  Journal,
  PreflightResult,
  StarvedStretch,
  TimeBucket,
  Verdict,
} from './journal.js';
export * from './run/index.js';
export * from './scenario/index.js';
export * from './scorecard/index.js';
export * from './stats/index.js';
export { VERDICT_EXIT } from './verdict-exit.js';
