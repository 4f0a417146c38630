export { type CallTable, lowerBoundStart, REJECTION_OUTCOMES } from './call-table.js';
export {
  countBefore,
  type EjectionInterval,
  type EndpointRecord,
  ejectedAt,
  firstTransition,
  initialBreakerState,
  lastTransitionBeforeSeq,
  type StateTrack,
  stateAt,
  stateAtSeq,
} from './endpoint-index.js';
export { type FaultWindow, faultedIntervals, faultWindows } from './fault-windows.js';
export { harnessStallWithin } from './harness-stalls.js';
export { callTable, endpointIndex, type HistoryIndex, historyIndex } from './history-index.js';
export { historySpan } from './history-span.js';
export { lanes } from './lanes.js';
export { type ServingInterval, servingIntervals, servingThrough } from './membership.js';
export { percentileRank, percentileSorted, RankTree, sortedFinite } from './percentile.js';
export { relativeT } from './relative-time.js';
export { serverOf } from './server-of.js';
export { lowerBound, slideWindows, type WindowVisitor } from './sliding-windows.js';
export { type Summary, summarize } from './summarize.js';
export { failedByTime, isTimeOutcome, TIME_OUTCOMES } from './time-outcomes.js';
export { chooseBucketMs, MAX_BUCKETS, timeline } from './timeline.js';
