/**
 * `retry-budget-respected`: per server, the retry attempts in flight (attempt-start of kind `retry` not
 * yet matched by its attempt-end) never exceed
 * max(budget.minPerSecond, budget.ratio × calls started in the trailing `window`) + `tolerance`.
 *
 * Params: `tolerance` (number ≥ 0, default 1: the manager's own window may be bucketed and so see a few
 * more calls than the exact trailing window), `window` (duration, default 1s).
 */
import type { HistoryEvent } from '../history.js';
import { serverOf } from '../stats/fault-windows.js';
import { attemptKey } from './attempt-key.js';
import type { Invariant } from './invariant.js';
import { checkKeys, durationParam, numberParam } from './params.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface RetryBudgetParams extends Record<string, unknown> {
  tolerance: number;
  windowMs: number;
}

const NAME = 'retry-budget-respected';

interface Lane {
  ratio: number;
  minPerSecond: number;
  starts: number[];
  head: number;
  active: Map<number, HistoryEvent>;
  peak: number;
}

export const retryBudgetRespected: Invariant<RetryBudgetParams> = {
  name: NAME,
  description:
    'Concurrent retries per server stay within max(minPerSecond, ratio × calls started in the last second).',
  params(raw) {
    const r = checkKeys(NAME, raw, ['tolerance', 'window']);
    const windowMs = durationParam(NAME, r, 'window') ?? 1000;
    if (windowMs <= 0) throw new RangeError(`invariant ${NAME}: param window must be > 0, got ${windowMs}`);
    return { tolerance: numberParam(NAME, r, 'tolerance', { min: 0 }) ?? 1, windowMs };
  },
  check(history, params) {
    const v = new ViolationList();
    const lanes = new Map<string, Lane>();
    const lane = (server: string): Lane => {
      let l = lanes.get(server);
      if (!l) {
        const b = history.settings[server]?.retry.budget ?? { ratio: 0.2, minPerSecond: 3 };
        l = { ratio: b.ratio, minPerSecond: b.minPerSecond, starts: [], head: 0, active: new Map(), peak: 0 };
        lanes.set(server, l);
      }
      return l;
    };
    const serverOfEndpoint = new Map<string, Lane>();
    const laneOfEndpoint = (ep: string) => {
      let l = serverOfEndpoint.get(ep);
      if (!l) {
        l = lane(serverOf(history, ep));
        serverOfEndpoint.set(ep, l);
      }
      return l;
    };
    let retries = 0;
    for (const e of history.events) {
      if (e.type === 'call-start') {
        lane(e.server).starts.push(e.t);
      } else if (e.type === 'attempt-start') {
        if (e.kind !== 'retry') continue;
        retries++;
        const l = laneOfEndpoint(e.endpoint);
        l.active.set(attemptKey(e.callId, e.attempt), e);
        l.peak = Math.max(l.peak, l.active.size);
        const cutoff = e.t - params.windowMs;
        while (l.head < l.starts.length && l.starts[l.head]! <= cutoff) l.head++;
        const recent = l.starts.length - l.head;
        const allowed = Math.max(l.minPerSecond, l.ratio * recent);
        if (l.active.size > allowed + params.tolerance) {
          v.add(
            `${l.active.size} retries in flight on ${serverOf(history, e.endpoint)} at ${at(e.t)}, budget allows ` +
              `${round(allowed)} (max(${l.minPerSecond}, ${l.ratio} × ${recent} calls in the last ` +
              `${params.windowMs}ms)) + tolerance ${params.tolerance}`,
            e.t,
            [...l.active.values()].slice(-8),
            e.endpoint,
          );
        }
      } else if (e.type === 'attempt-end') {
        const l = serverOfEndpoint.get(e.endpoint);
        if (l && l.active.size > 0) l.active.delete(attemptKey(e.callId, e.attempt));
      }
    }
    let peak = 0;
    for (const l of lanes.values()) peak = Math.max(peak, l.peak);
    const summary =
      v.count === 0
        ? `${plural(retries, 'retry', 'retries')}, at most ${peak} in flight per server, within budget`
        : `${plural(v.count, 'retry', 'retries')} started over budget (peak ${peak} in flight)`;
    return invariantResult(NAME, params, v, summary);
  },
};

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
