/**
 * `no-lost-calls`: every call-start has exactly one call-end, no later than its deadline plus `slack`
 * plus the longest stall of the harness's own event loop between the deadline and the end (the timer
 * that ends the call cannot fire while the loop is blocked); no call-end without a call-start; no call
 * started twice. A late end is a time-caused violation, a lost or doubled one is not.
 *
 * Params: `slack` (duration, default 250ms) — how late after the call's deadline its call-end may come.
 */
import { callTable, harnessStallWithin } from '../stats/index.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { checkKeys, durationParam } from './params.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface NoLostCallsParams extends Record<string, unknown> {
  slackMs: number;
}

const NAME = 'no-lost-calls';

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {
  slack: { kind: 'duration', doc: 'How late after its deadline a call may end (default 250ms).' },
};

export const noLostCalls: Invariant<NoLostCallsParams> = {
  name: NAME,
  blackBox: true,
  description:
    'Every call-start has exactly one call-end, within its deadline plus slack; no call-end without a start.',
  paramDocs: PARAMS,
  params(raw) {
    const r = checkKeys(NAME, raw, Object.keys(PARAMS));
    return { slackMs: durationParam(NAME, r, 'slack') ?? 250 };
  },
  check(history, params) {
    const v = new ViolationList();
    const c = callTable(history);
    const events = history.events;
    const server = (row: number) => c.servers[c.server[row]!];
    let lost = 0;
    let late = 0;
    for (let row = 0; row < c.size; row++) {
      const endSeq = c.endSeq[row]!;
      const deadline = c.deadlineT[row]!;
      if (endSeq < 0) {
        lost++;
        v.addLazy(c.startT[row]!, () => ({
          message: `call ${c.callId[row]} (${server(row)}) started at ${at(c.startT[row]!)} never ended (deadline ${at(deadline)})`,
          events: [events[c.startSeq[row]!]],
        }));
      } else if (c.endT[row]! > deadline + params.slackMs) {
        const endT = c.endT[row]!;
        const stallMs = harnessStallWithin(history, deadline, endT);
        if (endT <= deadline + params.slackMs + stallMs) continue;
        late++;
        v.addLazy(
          endT,
          () => {
            const end = events[endSeq];
            return {
              message:
                `call ${c.callId[row]} (${server(row)}) ended at ${at(endT)}, ${Math.round(endT - deadline)}ms after its ` +
                `deadline ${at(deadline)} (slack ${params.slackMs}ms${stallMs > 0 ? ` + harness stall ${Math.round(stallMs)}ms` : ''})`,
              events: [events[c.startSeq[row]!], end],
              endpoint: end?.type === 'call-end' ? end.endpoint : undefined,
            };
          },
          'time',
        );
      }
    }
    for (const { row, event: e } of c.duplicateEnds) {
      const first = events[c.endSeq[row]!];
      v.addLazy(e.t, () => ({
        message:
          `call ${c.callId[row]} ended twice: ${c.outcome[row]} at ${at(c.endT[row]!)}, then ` +
          `${e.type === 'call-end' ? e.outcome : '?'} at ${at(e.t)}`,
        events: [first, e],
        endpoint: e.type === 'call-end' ? e.endpoint : undefined,
      }));
    }
    for (const e of c.orphanEnds) {
      if (e.type !== 'call-end') continue;
      v.add(`call-end for call ${e.callId} (${e.server}) without a call-start`, e.t, [e]);
    }
    for (const { row, event: e } of c.duplicateStarts) {
      v.add(`call ${c.callId[row]} started twice (first at ${at(c.startT[row]!)})`, e.t, [
        events[c.startSeq[row]!],
        e,
      ]);
    }
    const summary =
      v.count === 0
        ? `${plural(c.size, 'call')}, each ended once within deadline + ${params.slackMs}ms`
        : `${plural(c.size, 'call')}: ${lost} never ended, ${late} late, ${c.duplicateEnds.length} ended twice, ` +
          `${c.orphanEnds.length} ends without start, ${c.duplicateStarts.length} started twice`;
    return invariantResult(NAME, params, v, summary);
  },
};
