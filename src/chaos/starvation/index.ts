export { reviewUnplannedOutages } from './outage-review.js';
export {
  BLACK_BOX_TIMEOUT_MS,
  reviewStarvation,
  type StarvationContext,
  smallestTimeoutMs,
  starvationContext,
} from './review.js';
export {
  describeStretch,
  STARVED_FLOOR_MS,
  STARVED_LOST_MS,
  STARVED_PRESSURE,
  sampleStarvedMs,
  sampleWorstMs,
  starvationBoundMs,
  starvedStretches,
  worstStretch,
} from './stretches.js';
export { describeOutage, type UnplannedOutage, unplannedOutages } from './unplanned-outages.js';
