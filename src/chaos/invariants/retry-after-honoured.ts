/**
 * `retry-after-honoured`: when an endpoint asks the manager to wait (a 429/503 with Retry-After, recorded
 * as a `backpressure` event with its `untilT`), no new attempt starts on that endpoint before `untilT`.
 * With `fault`, the named fault must have caused at least one such window on its endpoints (so a run in
 * which the server never pushed back does not pass by judging nothing).
 *
 * Params: `fault` (optional) — the fault whose endpoints must have pushed back during it.
 */
import type { HistoryEvent } from '../history.js';
import { endpointIndex, relativeT } from '../stats/index.js';
import { describeWindow, selectWindows } from './fault-selection.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { checkKeys, stringParam } from './params.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface RetryAfterHonouredParams extends Record<string, unknown> {
  fault?: string;
}

const NAME = 'retry-after-honoured';
/**
 * Timer granularity: Node timers fire on whole milliseconds of the event loop's cached clock, so a wait
 * that ends at `untilT` may wake up to 1 ms before it by the high-resolution clock events are stamped with
 * (seen: an attempt at 3030.6 ms for an untilT of 3031.0 ms). Earlier than this is a violation.
 */
const TIMER_GRANULARITY_MS = 1;

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {
  fault: { kind: 'fault', doc: 'That fault’s endpoints must have pushed back (Retry-After) during it.' },
};

export const retryAfterHonoured: Invariant<RetryAfterHonouredParams> = {
  name: NAME,
  description:
    'After an endpoint answers 429/503 with Retry-After (a backpressure event), no new attempt starts on it until the time it asked for.',
  paramDocs: PARAMS,
  params(raw) {
    const r = checkKeys(NAME, raw, Object.keys(PARAMS));
    const fault = stringParam(NAME, r, 'fault');
    return fault === undefined ? {} : { fault };
  },
  check(history, params) {
    const v = new ViolationList();
    const index = endpointIndex(history);
    const windows = history.events.filter(
      (e): e is Extract<HistoryEvent, { type: 'backpressure' }> => e.type === 'backpressure',
    );
    for (const w of windows) {
      const rec = index.get(w.endpoint);
      const untilT = relativeT(history, w.untilT);
      const early = rec?.attempts.find((a) => a.t > w.t && a.t < untilT - TIMER_GRANULARITY_MS);
      if (early === undefined) continue;
      v.add(
        `${w.endpoint} asked to be left alone until ${at(untilT)} (HTTP ${w.status} at ${at(w.t)}) but got attempt ${early.attempt} of call ${early.callId} at ${at(early.t)}`,
        early.t,
        [w, early],
        w.endpoint,
      );
    }
    let faultNote = '';
    if (params.fault !== undefined) {
      const faulted = selectWindows(history, params.fault, v);
      for (const fw of faulted) {
        const pushed = windows.some((w) => w.endpoint === fw.endpoint && w.t >= fw.startT && w.t <= fw.endT);
        if (!pushed) {
          v.add(
            `${fw.endpoint} never pushed back (no Retry-After window) during ${describeWindow(fw)}`,
            fw.startT,
            fw.events,
            fw.endpoint,
          );
        }
      }
      faultNote = `; ${plural(faulted.length, 'faulted endpoint')} pushed back`;
    }
    const summary =
      v.count === 0
        ? windows.length === 0 && params.fault === undefined
          ? 'nothing judged: no endpoint pushed back (name a fault to require that it does)'
          : `${plural(windows.length, 'Retry-After window')}, no attempt inside one${faultNote}`
        : `${plural(windows.length, 'Retry-After window')}: ${v.count} violation(s)`;
    return invariantResult(NAME, params, v, summary);
  },
};
