export { callError, errorCodeFor, isFailureClass, isRetryable, requestNotSent } from './call-errors.js';
export { CallExecution, type PipelineEnv } from './call-execution.js';
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
export { isEligible, markCandidates, type NoTargetReason, noTargetReason } from './select-target.js';
