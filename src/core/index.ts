export { afterIo } from './after-io.js';
export { type Clock, FakeClock, SystemClock, systemClock, type TimerHandle } from './clock.js';
export { formatDuration, parseDuration, secondsText } from './duration.js';
export {
  ChaosError,
  type ChaosErrorOptions,
  type ErrorCode,
  errorMessage,
  isChaosError,
  MAX_SERVER_TEXT,
  truncateText,
} from './errors.js';
export { type Disposable, disposeAll, Emitter, type Event } from './events.js';
export { CALL_META_KEY, MAX_EXECUTIONS } from './execution-meta.js';
export { jsonDeeperThan } from './json-depth.js';
export { LoopMonitor, type LoopMonitorOptions, type LoopStall } from './loop-monitor.js';
export { hashString, type Rng, randomSeed, SeededRng } from './rng.js';
