export { ActiveCalls, type ActiveLinks } from './active-calls.js';
export { callError, errorCodeFor, isFailureClass, isRetryable, requestNotSent } from './call-errors.js';
export { CallExecution } from './call-execution.js';
export type {
  BalancerLike,
  BreakerLike,
  BulkheadLike,
  CallGroup,
  CallTarget,
  ConnectionLike,
  HedgeLike,
  OutlierLike,
  PermitLike,
  RejectionLike,
  ReleaseLike,
  RetryBudgetLike,
  TokenLike,
} from './call-target.js';
export { DeadlineTimer, type Expiring, type ExpiringItems } from './deadline-timer.js';
export type { PipelineCall, PipelineEnv } from './pipeline-env.js';
export { isEligible, markCandidates, type NoTargetReason, noTargetReason } from './select-target.js';
