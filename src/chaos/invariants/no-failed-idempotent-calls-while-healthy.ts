/**
 * `no-failed-idempotent-calls-while-healthy`: no idempotent call fails while a replica of its server was
 * healthy for the call's whole deadline — the goal of failover with per-attempt deadlines (Envoy's
 * per_try_timeout): a stalled replica may cost an attempt, never the call.
 *
 * A replica is healthy over [call start, deadline] when it was in the fleet serving (admitted, not draining)
 * throughout, no fault was active on it, its breaker was never
 * open (or forced open), its active health never `unhealthy`, and it was never ejected in that window.
 * Failed = any final outcome but success, a tool error (the tool's own answer) and a caller's cancel.
 * Calls refused by the load generator itself (its per-stream cap; negative call ids) are not the manager's
 * and are left out.
 *
 * Params: `server` (optional) — only that server's calls.
 */
import type { BreakerState, HealthState } from '../../manager/types.js';
import type { History } from '../history.js';
import {
  callTable,
  type EndpointRecord,
  endpointIndex,
  type FaultWindow,
  failedByTime,
  faultWindows,
  firstTransition,
  initialBreakerState,
  type StateTrack,
  servingThrough,
  stateAt,
} from '../stats/index.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { checkKeys, stringParam } from './params.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface NoFailedIdempotentParams extends Record<string, unknown> {
  server?: string;
}

const NAME = 'no-failed-idempotent-calls-while-healthy';
const NOT_FAILURES = new Set(['success', 'tool-error', 'cancelled']);
const shut = (s: BreakerState) => s === 'open' || s === 'forced-open';
const sick = (s: HealthState) => s === 'unhealthy';

/** Whether `track` is in a state `bad` at some time in [from, to). */
function everIn<S extends string>(
  track: StateTrack<S>,
  from: number,
  to: number,
  bad: (s: S) => boolean,
): boolean {
  if (bad(stateAt(track, from))) return true;
  const i = firstTransition(track, from, bad, true);
  return i >= 0 && (track.t[i] as number) < to;
}

function healthyThrough(
  history: History,
  endpoint: string,
  rec: EndpointRecord | undefined,
  server: string,
  faults: readonly FaultWindow[],
  from: number,
  to: number,
): boolean {
  for (const w of faults) if (w.startT < to && w.endT > from) return false;
  if (!servingThrough(history, endpoint, from, to)) return false;
  if (rec === undefined) return !shut(initialBreakerState(history, server));
  if (everIn(rec.breaker, from, to, shut) || everIn(rec.health, from, to, sick)) return false;
  return !rec.ejections.some((iv) => iv.fromT < to && iv.toT > from);
}

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {
  server: { kind: 'server', doc: 'Only this server’s calls.' },
};

export const noFailedIdempotentCallsWhileHealthy: Invariant<NoFailedIdempotentParams> = {
  name: NAME,
  description:
    'No idempotent call fails while another replica of its server was healthy (serving, no fault, breaker not open, not unhealthy, not ejected) for its whole deadline.',
  paramDocs: PARAMS,
  params(raw) {
    const r = checkKeys(NAME, raw, Object.keys(PARAMS));
    const server = stringParam(NAME, r, 'server');
    return server === undefined ? {} : { server };
  },
  check(history, params) {
    const v = new ViolationList();
    const c = callTable(history);
    const index = endpointIndex(history);
    const faultsOf = new Map<string, FaultWindow[]>();
    for (const w of faultWindows(history)) {
      if (w.kind === 'deploy') continue; // a deploy breaks no replica; who served when is membership's
      const list = faultsOf.get(w.endpoint);
      if (list) list.push(w);
      else faultsOf.set(w.endpoint, [w]);
    }
    const replicas = new Map<string, string[]>();
    for (const [ep, server] of Object.entries(history.endpoints)) {
      const list = replicas.get(server);
      if (list) list.push(ep);
      else replicas.set(server, [ep]);
    }
    let judged = 0;
    let failed = 0;
    for (let row = 0; row < c.size; row++) {
      const server = c.servers[c.server[row]!] as string;
      if (params.server !== undefined && server !== params.server) continue;
      const start = history.events[c.startSeq[row]!];
      if (start?.type !== 'call-start' || !start.idempotent || c.callId[row]! < 0) continue;
      judged++;
      const outcome = c.outcome[row];
      if (outcome === undefined || NOT_FAILURES.has(outcome)) continue;
      failed++;
      const from = c.startT[row]!;
      const to = c.deadlineT[row]!;
      const healthy = (replicas.get(server) ?? []).find((ep) =>
        healthyThrough(history, ep, index.get(ep), server, faultsOf.get(ep) ?? [], from, to),
      );
      if (healthy === undefined) continue;
      const endT = c.endT[row]!;
      v.addLazy(
        endT,
        () => {
          const end = history.events[c.endSeq[row]!];
          return {
            message:
              `idempotent call ${c.callId[row]} (${server}) failed (${outcome}) at ${at(endT)} while ${healthy} was ` +
              `healthy for its whole deadline [${at(from)}, ${at(to)}]`,
            events: end === undefined ? [start] : [start, end],
            endpoint: end?.type === 'call-end' ? end.endpoint : undefined,
          };
        },
        failedByTime(c, row) ? 'time' : undefined,
      );
    }
    const summary =
      v.count === 0
        ? `${plural(judged, 'idempotent call')}, ${failed} failed, none while a replica was healthy`
        : `${plural(judged, 'idempotent call')}: ${v.count} failed while a replica of their server was healthy`;
    return invariantResult(NAME, params, v, summary);
  },
};
