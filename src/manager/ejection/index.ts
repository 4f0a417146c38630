export type { EjectionEvent } from './ejection-event.js';
export { OutlierDetector, type OutlierDetectorDeps } from './outlier-detector.js';
