/**
 * Back-pressure in the pipeline: an attempt that failed `overloaded` with a `Retry-After` keeps new calls off
 * its endpoint until then (when the endpoint honours Retry-After), counted in its metrics and recorded as a
 * `backpressure` event for the history.
 */
import { retryAfterOf, statusOf } from './call-errors.js';
import type { CallTarget } from './call-target.js';
import type { PipelineEnv } from './pipeline-env.js';

/** Holds `target` off until now + the wait `e` asked for, if it asked and the endpoint honours it. */
export function honourRetryAfter(env: PipelineEnv, target: CallTarget, e: unknown, now: number): void {
  const ms = retryAfterOf(e);
  if (ms === undefined || target.backpressure === undefined || target.retryAfter === 'ignore') return;
  const untilT = now + ms;
  target.backpressure.hold(untilT);
  target.metrics.backpressure();
  if (env.events.hasListeners) {
    env.events.emit({ type: 'backpressure', t: now, endpoint: target.id, untilT, status: statusOf(e) });
  }
}
