/**
 * `no-lost-calls`: every call-start has exactly one call-end, no later than its deadline plus `slack`;
 * no call-end without a call-start; no call started twice.
 *
 * Params: `slack` (duration, default 250ms) — how late after the call's deadline its call-end may come.
 */
import type { HistoryEvent } from '../history.js';
import { relativeT } from '../stats/relative-time.js';
import type { Invariant } from './invariant.js';
import { checkKeys, durationParam } from './params.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface NoLostCallsParams extends Record<string, unknown> {
  slackMs: number;
}

type CallStart = Extract<HistoryEvent, { type: 'call-start' }>;
type CallEnd = Extract<HistoryEvent, { type: 'call-end' }>;

const NAME = 'no-lost-calls';

export const noLostCalls: Invariant<NoLostCallsParams> = {
  name: NAME,
  description:
    'Every call-start has exactly one call-end, within its deadline plus slack; no call-end without a start.',
  params(raw) {
    const r = checkKeys(NAME, raw, ['slack']);
    return { slackMs: durationParam(NAME, r, 'slack') ?? 250 };
  },
  check(history, params) {
    const v = new ViolationList();
    // callId → its call-start while open, its call-end once ended.
    const calls = new Map<number, CallStart | CallEnd>();
    let started = 0;
    let late = 0;
    let doubles = 0;
    let orphans = 0;
    let twice = 0;
    for (const e of history.events) {
      if (e.type === 'call-start') {
        started++;
        const prev = calls.get(e.callId);
        if (prev) {
          twice++;
          v.add(`call ${e.callId} started twice (first seen at ${at(prev.t)})`, e.t, [prev, e]);
          continue;
        }
        calls.set(e.callId, e);
      } else if (e.type === 'call-end') {
        const s = calls.get(e.callId);
        if (s === undefined) {
          orphans++;
          v.add(`call-end for call ${e.callId} (${e.server}) without a call-start`, e.t, [e]);
        } else if (s.type === 'call-end') {
          doubles++;
          v.add(
            `call ${e.callId} ended twice: ${s.outcome} at ${at(s.t)}, then ${e.outcome} at ${at(e.t)}`,
            e.t,
            [s, e],
            e.endpoint,
          );
        } else {
          calls.set(e.callId, e);
          const deadline = relativeT(history, s.deadline);
          if (e.t > deadline + params.slackMs) {
            late++;
            v.add(
              `call ${e.callId} (${s.server}) ended at ${at(e.t)}, ${Math.round(e.t - deadline)}ms after its ` +
                `deadline ${at(deadline)} (slack ${params.slackMs}ms)`,
              e.t,
              [s, e],
              e.endpoint,
            );
          }
        }
      }
    }
    let lost = 0;
    for (const c of calls.values()) {
      if (c.type !== 'call-start') continue;
      lost++;
      v.add(
        `call ${c.callId} (${c.server}) started at ${at(c.t)} never ended (deadline ${at(relativeT(history, c.deadline))})`,
        c.t,
        [c],
      );
    }
    const summary =
      v.count === 0
        ? `${plural(started, 'call')}, each ended once within deadline + ${params.slackMs}ms`
        : `${plural(started, 'call')}: ${lost} never ended, ${late} late, ${doubles} ended twice, ` +
          `${orphans} ends without start, ${twice} started twice`;
    return invariantResult(NAME, params, v, summary);
  },
};
