/**
 * `acknowledged-executed`: every call the manager reported successful was executed by some replica — an
 * acknowledgement with no execution behind it would be a lie (a cached, invented or misrouted answer).
 * Judged from the replicas' execution logs by the logical call id the load stamps on every call; a run
 * whose replicas keep no log, or whose executions carry no call id, cannot be judged and does not pass;
 * nor does one in which no call was reported successful (vacuous, unless `allowVacuous: true`).
 */
import { executionInvariant } from './execution-log-view.js';
import { plural } from './violations.js';

export const acknowledgedExecuted = executionInvariant(
  'acknowledged-executed',
  'Every call reported successful was executed by some replica (from the servers’ execution logs).',
  (calls, v) => {
    let acknowledged = 0;
    for (const c of calls) {
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
      acknowledged === 0
        ? 'nothing judged: no call was reported successful'
        : v.count === 0
          ? `${plural(acknowledged, 'successful call')}, each executed by a replica`
          : `${v.count} of ${plural(acknowledged, 'successful call')} never executed`;
    return { summary, judged: acknowledged };
  },
);
