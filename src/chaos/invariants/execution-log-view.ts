/**
 * The history's execution logs as the execution invariants read them: each logical call (the load's
 * `_meta["dev.mcp-chaos/call"]`, recorded in its call-start) with its manager call, and how often the
 * replicas executed it. Says why it cannot judge when the replicas keep no log, or none of their
 * executions carries a logical call id (a system under test that strips `_meta`).
 */
import { CALL_META_KEY } from '../../mock/index.js';
import type { ExecutionRecord, History, HistoryEvent } from '../history.js';
import type { Invariant, InvariantResult } from './invariant.js';
import { booleanParam, checkKeys } from './params.js';
import { failIfVacuous, invariantResult, ViolationList } from './violations.js';

export interface LogicalCall {
  key: string;
  start: Extract<HistoryEvent, { type: 'call-start' }>;
  end: Extract<HistoryEvent, { type: 'call-end' }> | undefined;
  executions: ExecutionRecord[];
}

export type ExecutionView = { calls: LogicalCall[]; unjudgeable?: undefined } | { unjudgeable: string };

export function executionView(history: History): ExecutionView {
  const log = history.executions;
  if (log === undefined) {
    return {
      unjudgeable:
        'not every replica keeps an execution log (mocks and relayed HTTP servers do; a spawned stdio server does not)',
    };
  }
  const byKey = new Map<string, LogicalCall>();
  const byCallId = new Map<number, LogicalCall>();
  for (const e of history.events) {
    if (e.type === 'call-start') {
      const key = e.meta?.[CALL_META_KEY];
      if (typeof key !== 'string') continue;
      const c: LogicalCall = { key, start: e, end: undefined, executions: [] };
      byKey.set(key, c);
      byCallId.set(e.callId, c);
    } else if (e.type === 'call-end') {
      const c = byCallId.get(e.callId);
      if (c) c.end = e;
    }
  }
  let stamped = 0;
  for (const x of log) {
    if (x.call === undefined) continue;
    stamped++;
    if (x.faulted !== undefined) continue; // answered by a fault: not executed
    byKey.get(x.call)?.executions.push(x);
  }
  if (byKey.size > 0 && log.length > 0 && stamped === 0) {
    return {
      unjudgeable: `${log.length} executions carry no logical call id: _meta["${CALL_META_KEY}"] did not reach the servers`,
    };
  }
  return { calls: [...byKey.values()] };
}

/**
 * An invariant judged from the execution logs (no params): `judge` adds violations for the logical calls
 * and returns the summary; a history that cannot be judged is one violation saying why (never a pass).
 */
export function executionInvariant(
  name: string,
  description: string,
  /** Judges the calls: the summary, and how many cases it judged (none: vacuous unless allowed). */
  judge: (calls: LogicalCall[], v: ViolationList) => { summary: string; judged: number },
): Invariant {
  return {
    name,
    description,
    blackBox: true,
    paramDocs: {
      allowVacuous: {
        kind: 'boolean',
        doc: 'Pass even when no case could be judged (default false: that fails as vacuous).',
      },
    },
    params(raw) {
      const r = checkKeys(name, raw, ['allowVacuous']);
      const allowVacuous = booleanParam(name, r, 'allowVacuous');
      return allowVacuous !== undefined ? { allowVacuous } : {};
    },
    check(history, params): InvariantResult {
      const v = new ViolationList();
      const view = executionView(history);
      if (view.unjudgeable !== undefined) {
        v.add(`cannot judge: ${view.unjudgeable}`, 0, []);
        return invariantResult(name, params, v, `not judgeable: ${view.unjudgeable}`);
      }
      const { summary, judged } = judge(view.calls, v);
      const vacuous = failIfVacuous(v, judged, 0, [], params.allowVacuous === true, summary);
      return invariantResult(name, params, v, vacuous ?? summary);
    },
  };
}
