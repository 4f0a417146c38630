/**
 * Fault-schedule exploration (`mcp-chaos explore`): fast-check draws fault schedules over a fixed fleet,
 * the real runner runs each as a scenario, and a schedule that breaks an invariant is shrunk to a minimal
 * counterexample, written as a runnable scenario file.
 */

export {
  BREAK_PRESETS,
  type BreakPreset,
  breakPreset,
  invariantName,
  mergeInvariants,
  mergeManager,
} from './break-presets.js';
export { classifyJournal, type RunClass, violationLines } from './classify-journal.js';
export {
  type CounterexampleText,
  type CounterexampleTextOptions,
  counterexampleText,
} from './counterexample.js';
export {
  type Counterexample,
  type ExploredRun,
  type ExploreOptions,
  type ExploreResult,
  explore,
} from './explore.js';
export {
  documentOptions,
  type ExploreConfig,
  type ExploreConfigInput,
  type ExploreConfigResult,
  resolveExploreConfig,
} from './explore-config.js';
export {
  exploredRunLine,
  exploreSummaryJson,
  parseInvariantEntry,
  parseManagerSection,
  scheduleLine,
} from './explore-text.js';
export {
  checkFleet,
  DEFAULT_EXPLORE_MANAGER,
  DEFAULT_FLEET,
  EXPLORE_INVARIANTS,
  type ExploreFleet,
  type InvariantEntry,
  type ManagerSection,
  PROCESS_FAULT_EXCLUDED_INVARIANTS,
} from './fleet.js';
export {
  actionDocument,
  type BuildScenarioOptions,
  buildExploreScenario,
  faultName,
  formatMs,
  type ScenarioDocument,
} from './scenario-document.js';
export { type ScenarioYamlOptions, scenarioToYaml, validateScenarioDocument } from './scenario-yaml.js';
export {
  describeAction,
  type FaultActionDoc,
  type FaultSchedule,
  type NormalizeOptions,
  normalizeSchedule,
  overlapKeyOf,
  type ScheduledFault,
  type ToxicDoc,
  targetReplicas,
} from './schedule.js';
export {
  type ActionKind,
  faultArbitrary,
  faultScheduleArbitrary,
  NETWORK_ACTIONS,
  PROCESS_ACTIONS,
  type ScheduleArbitraryOptions,
  targetChoices,
} from './schedule-arbitrary.js';
