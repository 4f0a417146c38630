/**
 * The manager's public API: {@link McpManager}, its contract types, config loading, and the resilience
 * primitives it composes (usable on their own).
 */

export {
  type Balancer,
  createBalancer,
  type EndpointView,
  EwmaLatency,
  type PickContext,
  selectEligible,
} from './balancers/index.js';
// Primitives.
export {
  BreakerPermit,
  type BreakerRejection,
  type BreakerTransition,
  CircuitBreaker,
  isLegalBreakerTransition,
} from './breaker/index.js';
export { Bulkhead, type Release } from './bulkhead/index.js';
export { errorCodeFor, isRetryable, requestNotSent } from './call/index.js';
// Config files.
export {
  type ConfigFormat,
  type ConfigProblem,
  type ConfigSections,
  type LoadedConfigWithSections,
  type LoadedManagerConfig,
  loadConfigWithSections,
  loadManagerConfig,
  parseConfigWithSections,
  parseManagerConfig,
} from './config/index.js';
export {
  type ConnectionDetails,
  classifyError,
  createConnection,
  type EndpointConnection,
  RELAYED_CAPABILITIES,
  type RpcErrorAnswer,
  rpcErrorOf,
  type ServerDetails,
} from './connection/index.js';
export { DEFAULT_HEDGE, DEFAULT_SETTINGS } from './defaults.js';
export { type EjectionEvent, OutlierDetector } from './ejection/index.js';
export type { ReloadResult, RemoveOptions } from './fleet/index.js';
export {
  HealthChecker,
  type HealthTransition,
  healthDetectionBoundMs,
  isLegalHealthTransition,
} from './health/index.js';
export { HedgePolicy, type HedgeToken } from './hedge/index.js';
export {
  type ListToolsOptions,
  McpManager,
  type McpManagerDeps,
  type RequestOptions,
  type StartOptions,
} from './manager.js';
export { ManagerMetrics, type ManagerMetricsOptions } from './metrics/index.js';
export type {
  ConnectionFactory,
  ConnectionNotice,
  ErrorClassifier,
  ManagedConnection,
} from './registry/index.js';
// Registry and metrics.
export { type EndpointInfo, ManagerRegistry, type ServerInfo, type ToolInfo } from './registry/index.js';
export { backoffDelay, RetryBudget, type RetryToken } from './retry/index.js';
// Settings.
export {
  assertValidSettings,
  breakerPolicyProblems,
  createSettingsInputSchema,
  type FieldProblem,
  impliedPolicy,
  type ManagerInput,
  mergeLayers,
  resolveSettings,
  type SettingsDialect,
  type SettingsInput,
  settingsInputSchema,
  validateSettings,
} from './settings/index.js';
export {
  BALANCER_KINDS,
  BREAKER_MODES,
  FAILURE_CLASSES,
  PROBE_KINDS,
  RATE_TRIP_FIELDS,
  TRIP_POLICIES,
} from './settings-kinds.js';
export type {
  BalancerKind,
  BreakerSettings,
  BreakerState,
  CallOptions,
  ConsecutiveBreakerSettings,
  DeepPartial,
  EjectionSettings,
  EndpointConfig,
  EndpointSnapshot,
  FailureClass,
  FleetNotification,
  HealthSettings,
  HealthState,
  HedgeSettings,
  ManagerEvent,
  ManagerEventType,
  ManagerOptions,
  ManagerSnapshot,
  Outcome,
  PoolSettings,
  ProgressListener,
  ProgressUpdate,
  RateBreakerSettings,
  RejectionClass,
  ResilienceSettings,
  RetrySettings,
  ServerConfig,
  ServerMessage,
  ServerNotificationListener,
  ServerRequestHandler,
} from './types.js';
