/**
 * Timeline arithmetic shared by the validator and the planner: which endpoints a fault hits, when it
 * ends, and the `during faults` / `after recovery` windows.
 */
import { DEFAULT_SETTINGS } from '../../manager/index.js';
import type { DeepPartial, ResilienceSettings } from '../../manager/types.js';
import { endpointId, selectReplicas } from './scalars.js';
import type { Fault, FaultAction, ScenarioServer } from './types.js';

/** Endpoint ids a fault targets, or a message when a replica index is out of range. */
export function faultEndpoints(fault: Pick<Fault, 'target'>, server: ScenarioServer): string[] | string {
  const { selector } = fault.target;
  if (selector.kind === 'index' && selector.index >= server.replicas) {
    const range = server.replicas === 1 ? 'only replica 0' : `replicas 0..${server.replicas - 1}`;
    return `replica ${selector.index} out of range: ${server.name} has ${range}`;
  }
  return selectReplicas(selector, server.replicas).map((i) => endpointId(server.name, i));
}

/**
 * When a fault ends (ms from load start): `at + for`, clamped to the duration; without `for`, the end of
 * the run, except `process: restart`, which is started again at once.
 */
export function faultEndMs(fault: Pick<Fault, 'atMs' | 'forMs' | 'action'>, durationMs: number): number {
  if (fault.forMs !== undefined) return Math.min(fault.atMs + fault.forMs, durationMs);
  if (fault.action.kind === 'process' && fault.action.process === 'restart') return fault.atMs;
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
  const wait = a.mcp.retryAfterMs === undefined ? '' : ` retry-after ${a.mcp.retryAfterMs}ms`;
  return `mcp status ${a.mcp.status}${wait}`;
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
