export { CallCounts } from './call-counts.js';
export {
  type EndpointGaugeSource,
  type EndpointGaugeView,
  EndpointMetrics,
  ManagerMetrics,
  type ManagerMetricsOptions,
  ServerMetrics,
} from './manager-metrics.js';
export { isRejection } from './outcome-kind.js';
