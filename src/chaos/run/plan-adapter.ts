/**
 * Reading the runner's numbers off a {@link Plan}: fault steps for the timeline, load streams with their
 * outstanding-call caps, the steady-state window, how long to let the system settle after rollback, and
 * how long to wait for calls in flight.
 */

import type { ResilienceSettings } from '../../manager/types.js';
import type { Plan } from '../scenario/index.js';
import type { FaultStep } from './fault-timeline.js';
import { plannedFault } from './history-rebase.js';
import type { LoadStream } from './load-generator.js';
import type { RunOptions } from './run-options.js';

/** Steady-state window when no `over D` check names one: 1 s × time scale. */
const DEFAULT_STEADY_MS = 1000;
/** Extra wait beyond the longest call timeout before calls in flight are given up on (ms). */
const DRAIN_GRACE_MS = 2000;

export function toFaultSteps(plan: Plan): FaultStep[] {
  return plan.faults.map((f) => {
    const step: FaultStep = plannedFault(f);
    const a = f.action;
    if (a.kind === 'toxic') {
      step.toxic = {
        type: a.toxic.type,
        stream: a.toxic.stream,
        toxicity: a.toxic.toxicity,
        attributes: { ...a.toxic.attributes },
      };
    } else if (a.kind === 'process') step.process = a.process;
    else if (a.kind === 'mcp') step.mcp = { ...a.mcp };
    else if (a.kind === 'deploy' && f.deploy) {
      step.deploy = { plan: f.deploy, spec: { ...a.deploy } };
      // without `for` a deploy stays until rollback (the planned end is only an estimate)
      if (f.open) step.endT = plan.durationMs;
    }
    return step;
  });
}

/**
 * The load streams. A stream's cap on outstanding calls is its `concurrency` if given, else twice what
 * the open model can have outstanding when every call runs to its deadline (rate × timeout), at least 64:
 * reached only when calls outlive their deadline.
 */
export function toLoadStreams(plan: Plan, settings: ReadonlyMap<string, ResilienceSettings>): LoadStream[] {
  return plan.load.map((l, index) => {
    const timeoutMs = l.timeoutMs ?? settings.get(l.server)?.callTimeoutMs ?? 1000;
    const cap = l.concurrency ?? Math.max(64, Math.ceil(((l.ratePerSec * timeoutMs) / 1000) * 2) + 16);
    const s: LoadStream = {
      index,
      server: l.server,
      tool: l.tool,
      args: l.args,
      ratePerSec: l.ratePerSec,
      rampMs: l.rampMs,
      toolErrorsAreSuccess: l.toolErrorsAreSuccess,
      maxOutstanding: cap,
    };
    if (l.idempotent !== undefined) s.idempotent = l.idempotent;
    if (l.timeoutMs !== undefined) s.timeoutMs = l.timeoutMs;
    return s;
  });
}

/**
 * Length of each steady-state window (ms): the longest `over D` of the steady-state checks, else
 * 1 s × time scale; 0 when the scenario has no steady-state checks (no window is run).
 */
export function steadyWindowMs(plan: Plan): number {
  if (plan.steadyState.length === 0) return 0;
  let max = 0;
  for (const t of plan.steadyState) if (t.window.kind === 'over') max = Math.max(max, t.window.ms);
  return max > 0 ? max : DEFAULT_STEADY_MS * plan.timeScale;
}

/**
 * A black-box system under test says nothing of its breakers or health checks: the steady state after
 * starts this long after rollback (ms, × time scale).
 */
export const BLACK_BOX_SETTLE_MS = 3000;

/**
 * How long after rollback before the steady-state-after window starts (ms): long enough for an open
 * breaker to reach half-open and close, an unhealthy endpoint to pass `healthyAfter` probes and an
 * ejected one to return — the longest of those over the servers.
 */
export function recoverySettleMs(settings: ReadonlyMap<string, ResilienceSettings>): number {
  let max = 0;
  for (const s of settings.values()) {
    const health =
      s.health.probe === 'none'
        ? 0
        : (s.health.unhealthyIntervalMs ?? s.health.intervalMs) * (s.health.healthyAfter + 1) +
          s.health.jitterMs;
    const openFor = s.breaker.backoff
      ? Math.min(s.breaker.backoff.maxMs, s.breaker.openForMs * s.breaker.backoff.multiplier)
      : s.breaker.openForMs;
    const breaker = s.breaker.mode === 'disabled' ? 0 : openFor;
    const ejection = s.ejection.consecutiveFailures > 0 ? s.ejection.baseTimeMs : 0;
    max = Math.max(max, health, breaker, ejection);
  }
  return max;
}

/** Longest wait for calls in flight after a load phase (ms). */
export function drainTimeoutMs(
  plan: Plan,
  settings: ReadonlyMap<string, ResilienceSettings>,
  options: Pick<RunOptions, 'drainTimeoutMs'>,
): number {
  if (options.drainTimeoutMs !== undefined) return options.drainTimeoutMs;
  let max = 0;
  for (const s of settings.values()) max = Math.max(max, s.callTimeoutMs);
  for (const l of plan.load) max = Math.max(max, l.timeoutMs ?? 0);
  return max + DRAIN_GRACE_MS;
}
