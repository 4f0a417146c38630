export { reviewStarvation, type StarvationContext, smallestTimeoutMs, starvationContext } from './review.js';
export {
  describeStretch,
  STARVED_FLOOR_MS,
  sampleWorstMs,
  starvationBoundMs,
  starvedStretches,
  worstStretch,
} from './stretches.js';
