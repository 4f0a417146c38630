import type { Clock } from '../../core/clock.js';
import type { Emitter } from '../../core/events.js';
import type { Rng } from '../../core/rng.js';
import type { CallCounts } from '../metrics/index.js';
import type { StallCheck } from '../stall/index.js';
import type { FailureClass, ManagerEvent } from '../types.js';
import type { ActiveCalls, ActiveLinks } from './active-calls.js';
import type { DeadlineTimer, Expiring } from './deadline-timer.js';

/** A call in flight as the pipeline's shared parts see it (CallExecution). */
export interface PipelineCall extends Expiring, ActiveLinks<PipelineCall> {
  /** Ends the call now as cancelled (close() uses MANAGER_CLOSED). */
  cancel(code: 'CALL_CANCELLED' | 'MANAGER_CLOSED', why: string): void;
}

/** Shared by every call of one manager. */
export interface PipelineEnv {
  clock: Clock;
  rng: Rng;
  events: Emitter<ManagerEvent>;
  counts: CallCounts;
  /** Maps a connection error to its failure class. */
  classify(e: unknown): FailureClass;
  /** Calls in flight (close() ends them). */
  active: ActiveCalls<PipelineCall>;
  /** The one timer of the deadlines of `active` (see deadline-timer.ts). */
  deadlines: DeadlineTimer<PipelineCall>;
  /** Tells a timeout this process's own stall caused (not counted against the endpoint); absent: none is. */
  stall?: StallCheck;
}
