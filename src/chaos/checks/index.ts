export { type CheckRange, checkRange } from './check-window.js';
export { type CheckInput, compare, type EvaluateCheckOptions, evaluateCheck } from './evaluate-check.js';
export { type CallRows, MetricAccumulator } from './metric-accumulator.js';
export {
  type CheckMetric,
  type CheckOp,
  type CheckWindow,
  type ParsedCheck,
  parseCheck,
} from './parse-check.js';
