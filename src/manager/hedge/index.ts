export { HedgePolicy, type HedgePolicyOptions, type HedgeToken } from './hedge-policy.js';
export { LatencyPercentile } from './latency-percentile.js';
