export { backoffDelay } from './backoff.js';
export {
  RETRY_BUDGET_WINDOW_MS,
  RetryBudget,
  type RetryBudgetDeps,
  type RetryToken,
} from './retry-budget.js';
