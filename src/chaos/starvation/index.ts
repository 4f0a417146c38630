export { reviewStarvation, type StarvationContext, smallestTimeoutMs, starvationContext } from './review.js';
export {
  describeStretch,
  STARVED_FLOOR_MS,
  STARVED_LOST_MS,
  sampleStarvedMs,
  sampleWorstMs,
  starvationBoundMs,
  starvedStretches,
  worstStretch,
} from './stretches.js';
