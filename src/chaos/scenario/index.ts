/**
 * The scenario format: schema (zod, single source of truth), loader/validator with line:column problems,
 * the normalised {@link Scenario}, the planner, placeholders and the generated JSON Schema.
 */

export { SCENARIO_SCHEMA_ID, scenarioJsonSchema, scenarioJsonSchemaText } from './json-schema.js';
export { KNOWN_INVARIANTS } from './known-invariants.js';
export {
  DEFAULT_READY_MS,
  MAX_ALIAS_COUNT,
  MAX_DURATION_MS,
  MAX_FAULTS,
  MAX_FILE_BYTES,
  MAX_LOAD_STREAMS,
  MAX_RATE_PER_SEC,
} from './limits.js';
export {
  type LoadResult,
  loadScenarioFile,
  type ParseScenarioOptions,
  parseScenario,
} from './load-scenario.js';
export {
  type FilledCommand,
  fillCommand,
  fillPlaceholders,
  needsPort,
  type PlaceholderValues,
} from './placeholders.js';
export {
  type DeployPlan,
  type FaultPlan,
  type Plan,
  type PlannedEndpoint,
  type PlannedServer,
  type PlanOptions,
  planScenario,
  slotIndex,
} from './plan.js';
export { formatProblem, type Problem } from './problem.js';
export { endpointId, parseTarget, ratePerSecond, selectReplicas } from './scalars.js';
export { ScenarioSchema } from './schema.js';
export { TOXIC_TYPES } from './schema-faults.js';
export { MAX_REPLICAS } from './schema-servers.js';
export { fillSutPlaceholders, type SutValues } from './sut-placeholders.js';
export { compareThreshold, parseThreshold } from './threshold.js';
export { checkTimeScale, scaleMs } from './time-scale.js';
export type { Window } from './timeline.js';
export type {
  CommandServer,
  DeploySpec,
  ExistingServer,
  Fault,
  FaultAction,
  GatewaySut,
  InvariantRef,
  LoadStream,
  McpFaultSpec,
  MockServer,
  MockSpec,
  Scenario,
  ScenarioServer,
  ScenarioSut,
  Target,
  TargetSelector,
  Threshold,
  ThresholdMetric,
  ThresholdOp,
  ThresholdWindow,
  ToxicSpec,
  ToxicType,
} from './types.js';
