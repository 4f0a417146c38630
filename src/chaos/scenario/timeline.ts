/**
 * Timeline arithmetic shared by the validator and the planner: which endpoints a fault hits, when it
 * ends, and the `during faults` / `after recovery` windows.
 */

import { DEFAULT_SETTINGS } from '../../manager/index.js';
import type { DeepPartial, ResilienceSettings } from '../../manager/types.js';
import { describeMcpAction } from '../../relay/index.js';
import { endpointId, selectReplicas } from './scalars.js';
import type { DeploySpec, Fault, FaultAction, ScenarioServer } from './types.js';

/**
 * Endpoint ids (replica slots) a fault targets, or a message when a replica index is out of range.
 * `replicas`: the server's count when the fault starts (see {@link replicasAt}; default its own).
 */
export function faultEndpoints(
  fault: Pick<Fault, 'target'>,
  server: ScenarioServer,
  replicas = server.replicas,
): string[] | string {
  const { selector } = fault.target;
  if (selector.kind === 'index' && selector.index >= replicas) {
    const range = replicas === 1 ? 'only replica 0' : `replicas 0..${replicas - 1}`;
    const when = replicas === server.replicas ? '' : ' by then';
    return `replica ${selector.index} out of range: ${server.name} has ${range}${when}`;
  }
  return selectReplicas(selector, replicas).map((i) => endpointId(server.name, i));
}

/**
 * A server's replica count as planned when `fault` starts: its own, or the `replicas` of the last deploy
 * of that server that starts before it (a scale out adds slots later faults may target).
 */
export function replicasAt(
  server: ScenarioServer,
  fault: Pick<Fault, 'atMs' | 'index'>,
  faults: readonly (Fault | undefined)[],
): number {
  let n = server.replicas;
  let at = -1;
  for (const f of faults) {
    if (f?.action.kind !== 'deploy' || f.action.deploy.replicas === undefined) continue;
    if (f.target.selector.kind !== 'all') continue; // refused by check-deploy.ts
    if (f.target.server !== server.name || f.index === fault.index || f.atMs >= fault.atMs) continue;
    if (f.atMs >= at) {
      at = f.atMs;
      n = f.action.deploy.replicas;
    }
  }
  return n;
}

/**
 * When a fault ends (ms from load start): `at + for`, clamped to the duration; without `for`, the end of
 * the run, except `process: restart`, which is started again at once, and a deploy, which ends when it
 * completes — known only when it runs; planned as its first batch's pause (a lower bound).
 */
export function faultEndMs(fault: Pick<Fault, 'atMs' | 'forMs' | 'action'>, durationMs: number): number {
  if (fault.forMs !== undefined) return Math.min(fault.atMs + fault.forMs, durationMs);
  if (fault.action.kind === 'process' && fault.action.process === 'restart') return fault.atMs;
  if (fault.action.kind === 'deploy') return Math.min(fault.atMs + fault.action.deploy.everyMs, durationMs);
  return durationMs;
}

/** Faults of the same kind key on the same endpoint must not overlap. */
export function overlapKey(fault: Pick<Fault, 'action'>): string {
  const a = fault.action;
  if (a.kind === 'toxic') return `toxic ${a.toxic.type} (${a.toxic.stream})`;
  return a.kind;
}

/** The one-line detail of a fault's action: toxic type, `down`, process action, or `mcp status N`. */
export function actionDetail(a: FaultAction): string {
  if (a.kind === 'toxic') {
    // the type and its attributes (`latency latency=1500 jitter=0`): what health-detects-within needs to
    // judge whether the fault breaks probes (a bare `latency` is of unknown size)
    const attrs = Object.entries(a.toxic.attributes).map(([k, v]) => ` ${k}=${v}`);
    const partial = a.toxic.toxicity < 1 ? ` toxicity=${a.toxic.toxicity}` : '';
    return `${a.toxic.type}${attrs.join('')}${partial}`;
  }
  if (a.kind === 'down') return 'down';
  if (a.kind === 'process') return a.process;
  if (a.kind === 'deploy') return deployDetail(a.deploy);
  const x = a.mcp.action;
  if (x.kind === 'status') {
    const wait = x.retryAfterMs === undefined ? '' : ` retry-after ${x.retryAfterMs}ms`;
    return `mcp status ${x.status}${wait}`;
  }
  return `mcp ${describeMcpAction(x)}`;
}

/** `deploy protocol=modern latency=200ms replicas=5` (env: names only, never values). */
export function deployDetail(d: DeploySpec): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(d.mock ?? {})) {
    if (k === 'latency' && typeof v === 'object' && !Array.isArray(v)) {
      const l = v as { p50Ms: number; p99Ms: number };
      parts.push(l.p50Ms === l.p99Ms ? `latency=${l.p50Ms}ms` : `latency=${l.p50Ms}/${l.p99Ms}ms`);
    } else parts.push(`${k}=${Array.isArray(v) ? v.join(',') : v}`);
  }
  if (d.command) parts.push(`command=${d.command.join(' ')}`);
  if (d.env) parts.push(`env=${Object.keys(d.env).join(',')}`);
  if (d.url) parts.push(`url=${d.url}`);
  if (d.replicas !== undefined) parts.push(`replicas=${d.replicas}`);
  return ['deploy', ...parts].join(' ');
}

/**
 * The breaker openFor used for the after-recovery window: the longest effective `openForMs` over the
 * servers (per-server override, else manager-wide, else the manager default 2000 ms).
 */
export function recoveryOpenForMs(
  manager: DeepPartial<ResilienceSettings>,
  servers: Iterable<ScenarioServer | undefined>,
): number {
  const global = manager.breaker?.openForMs ?? DEFAULT_SETTINGS.breaker.openForMs;
  let max = 0;
  let any = false;
  for (const s of servers) {
    if (!s) continue;
    any = true;
    max = Math.max(max, s.manager.breaker?.openForMs ?? global);
  }
  return any ? max : global;
}

export interface Window {
  startT: number;
  endT: number;
}

/**
 * `during faults`: first fault start → last fault end; `after recovery`: last fault end + openFor →
 * end of load (empty, startT = endT = durationMs, when that is past the end). undefined without faults.
 */
export function faultWindows(
  spans: readonly Window[],
  durationMs: number,
  openForMs: number,
): { faults: Window; recovery: Window } | undefined {
  if (spans.length === 0) return undefined;
  const startT = Math.min(...spans.map((s) => s.startT));
  const endT = Math.max(...spans.map((s) => s.endT));
  const recoveryStart = Math.min(endT + openForMs, durationMs);
  return { faults: { startT, endT }, recovery: { startT: recoveryStart, endT: durationMs } };
}
