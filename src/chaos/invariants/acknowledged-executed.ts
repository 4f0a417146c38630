/**
 * `acknowledged-executed`: every call the manager reported successful was executed by some replica — an
 * acknowledgement with no execution behind it would be a lie (a cached, invented or misrouted answer).
 * Judged from the replicas' execution logs by the logical call id the load stamps on every call; a run
 * whose replicas keep no log, or whose executions carry no call id, cannot be judged and does not pass.
 */

import { executionView } from './execution-log-view.js';
import type { Invariant } from './invariant.js';
import { checkKeys } from './params.js';
import { invariantResult, plural, ViolationList } from './violations.js';

const NAME = 'acknowledged-executed';

export const acknowledgedExecuted: Invariant = {
  name: NAME,
  description:
    'Every call reported successful was executed by some replica (from the servers’ execution logs).',
  params(raw) {
    checkKeys(NAME, raw, []);
    return {};
  },
  check(history, params) {
    const v = new ViolationList();
    const view = executionView(history);
    if (view.unjudgeable !== undefined) {
      v.add(`cannot judge: ${view.unjudgeable}`, 0, []);
      return invariantResult(NAME, params, v, `not judgeable: ${view.unjudgeable}`);
    }
    let acknowledged = 0;
    for (const c of view.calls) {
      if (c.end?.outcome !== 'success') continue;
      acknowledged++;
      if (c.executions.length > 0) continue;
      v.add(
        `call ${c.start.callId} (${c.start.tool}) was reported successful${c.end.endpoint ? ` by ${c.end.endpoint}` : ''} but no replica executed it`,
        c.end.t,
        [c.start, c.end],
        c.end.endpoint,
      );
    }
    const summary =
      v.count === 0
        ? `${plural(acknowledged, 'successful call')}, each executed by a replica`
        : `${v.count} of ${plural(acknowledged, 'successful call')} never executed`;
    return invariantResult(NAME, params, v, summary);
  },
};
