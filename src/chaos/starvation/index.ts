export { reviewStarvation, type StarvationContext, starvationContext } from './review.js';
export {
  describeStretch,
  STARVED_FLOOR_MS,
  sampleWorstMs,
  starvationBoundMs,
  starvedStretches,
  worstStretch,
} from './stretches.js';
