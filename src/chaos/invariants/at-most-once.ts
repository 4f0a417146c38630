/**
 * `at-most-once`: no logical call that may not be repeated (non-idempotent) was executed more than once,
 * fleet-wide — counted from the replicas' execution logs by the logical call id the load stamps on every
 * call (kept across retries and re-issues). A run whose replicas keep no log, or whose executions carry no
 * call id, cannot be judged and does not pass; nor does one that sent no call that may not be repeated
 * (vacuous, unless `allowVacuous: true`).
 */
import { executionInvariant } from './execution-log-view.js';
import { at, plural } from './violations.js';

export const atMostOnce = executionInvariant(
  'at-most-once',
  'No non-idempotent logical call is executed more than once across the fleet (from the servers’ execution logs).',
  (calls, v) => {
    let judged = 0;
    let executions = 0;
    for (const c of calls) {
      if (c.start.idempotent) continue;
      judged++;
      executions += c.executions.length;
      if (c.executions.length <= 1) continue;
      const where = c.executions.map((x) => `${x.endpoint} at ${at(x.t)}`).join(', ');
      v.add(
        `call ${c.start.callId} (${c.start.tool}, not idempotent) was executed ${c.executions.length} times: ${where}`,
        c.executions[1]?.t ?? c.start.t,
        [c.start],
        c.executions[1]?.endpoint,
      );
    }
    const summary =
      judged === 0
        ? 'nothing judged: the load sent no call that may not be repeated'
        : v.count === 0
          ? `${plural(judged, 'non-idempotent call')}, each executed at most once (${plural(executions, 'execution')})`
          : `${v.count} of ${plural(judged, 'non-idempotent call')} executed more than once`;
    return { summary, judged };
  },
);
