/**
 * The run's history with every time relative to the start of load: a pure function that returns new
 * events (the recorded ones are left as they are), sorted by `t`.
 */
import type { ResilienceSettings } from '../../manager/index.js';
import type { ExecutionRecord, History, HistoryEvent, PlannedFault } from '../history.js';

/**
 * `e` with `t` and its payload times (a call's deadline, an attempt's own deadline, the end of an ejection
 * or of a Retry-After window) made relative to `origin`.
 */
export function rebaseEvent(e: HistoryEvent, origin: number): HistoryEvent {
  const t = e.t - origin;
  switch (e.type) {
    case 'call-start':
      return { ...e, t, deadline: e.deadline - origin };
    case 'attempt-start':
      return e.attemptDeadline === undefined
        ? { ...e, t }
        : { ...e, t, attemptDeadline: e.attemptDeadline - origin };
    case 'ejection':
      return e.untilT === undefined ? { ...e, t } : { ...e, t, untilT: e.untilT - origin };
    case 'backpressure':
      return { ...e, t, untilT: e.untilT - origin };
    default:
      return { ...e, t };
  }
}

/** A planned fault's facts (a fresh copy): what the history and the fault timeline start from. */
export function plannedFault(f: PlannedFault): PlannedFault {
  return {
    name: f.name,
    endpoints: [...f.endpoints],
    startT: f.startT,
    endT: f.endT,
    kind: f.kind,
    detail: f.detail,
  };
}

/** The History of a run: `events` (absolute clock times) rebased to `origin`, with the plan's facts. */
export function rebaseHistory(
  events: readonly HistoryEvent[],
  origin: number,
  plan: { durationMs: number; endpoints: Record<string, string>; faults: readonly PlannedFault[] },
  settings: ReadonlyMap<string, ResilienceSettings>,
  executions?: readonly ExecutionRecord[],
): History {
  const rebased = new Array<HistoryEvent>(events.length);
  let sorted = true;
  for (let i = 0; i < events.length; i++) {
    const e = rebaseEvent(events[i] as HistoryEvent, origin);
    rebased[i] = e;
    if (i > 0 && e.t < (rebased[i - 1] as HistoryEvent).t) sorted = false;
  }
  if (!sorted) rebased.sort((a, b) => a.t - b.t);
  return {
    origin,
    durationMs: plan.durationMs,
    endpoints: { ...plan.endpoints },
    settings: Object.fromEntries(settings),
    faults: plan.faults.map(plannedFault),
    events: rebased,
    ...(executions
      ? { executions: executions.map((e) => ({ ...e, t: e.t - origin })).sort((a, b) => a.t - b.t) }
      : {}),
  };
}
