/**
 * What an operator reading the gateway's log needs to see of its fleet: every replica state change, at
 * info (warn when a replica goes bad) with its server and endpoint — a breaker opening or closing, a
 * replica turning unhealthy or healthy, ejected or back, a stdio child exiting, restarting or crash-looping,
 * a session lost and recovered, the era found, a live fleet's joins and leaves. Calls and attempts are
 * never logged here (they are metrics); a half-open trial and a tool list change are debug.
 */
import type { Disposable } from '../core/events.js';
import type { ManagerEvent, McpManager } from '../manager/index.js';
import type { GatewayLog } from './gateway-log.js';

type Level = 'debug' | 'info' | 'warn';

/** Logs `manager`'s replica state changes to `log` until disposed. */
export function logFleetChanges(manager: McpManager, log: GatewayLog): Disposable {
  const servers = new Map<string, string>();
  const serverOf = (endpoint: string): string | undefined => {
    if (!servers.has(endpoint)) for (const e of manager.snapshot().endpoints) servers.set(e.id, e.server);
    return servers.get(endpoint);
  };
  return manager.onEvent((e) => {
    const line = describe(e);
    if (!line) return;
    const endpoint = (e as { endpoint?: string }).endpoint;
    const server = (e as { server?: string }).server ?? (endpoint ? serverOf(endpoint) : undefined);
    log[line.level]({ server, endpoint, ...line.fields }, line.msg);
  });
}

/** The log line of a state change; undefined for everything else. */
export function describe(
  e: ManagerEvent,
): { level: Level; msg: string; fields: Record<string, unknown> } | undefined {
  switch (e.type) {
    case 'breaker': {
      const level: Level =
        e.to === 'open' || e.to === 'forced-open' ? 'warn' : e.to === 'half-open' ? 'debug' : 'info';
      return { level, msg: `breaker ${e.to}`, fields: { from: e.from, to: e.to, reason: e.reason } };
    }
    case 'health':
      return {
        level: e.to === 'unhealthy' ? 'warn' : 'info',
        msg: `replica ${e.to}`,
        fields: { from: e.from, to: e.to, reason: e.reason },
      };
    case 'ejection':
      return e.ejected
        ? { level: 'warn', msg: 'replica ejected', fields: { reason: e.reason, untilT: e.untilT } }
        : { level: 'info', msg: 'replica back from ejection', fields: { reason: e.reason } };
    case 'fleet':
      return { level: 'info', msg: `replica ${e.action}`, fields: { detail: e.detail } };
    case 'connection':
      return connectionLine(e);
    default:
      return undefined;
  }
}

const CONNECTION_LINES: Record<string, { level: Level; msg: string }> = {
  connected: { level: 'info', msg: 'replica connected' },
  disconnected: { level: 'warn', msg: 'replica disconnected' },
  'session-lost': { level: 'warn', msg: 'upstream session lost' },
  'session-recovered': { level: 'info', msg: 'upstream session recovered' },
  'process-exit': { level: 'warn', msg: 'stdio child exited' },
  'process-restart': { level: 'info', msg: 'stdio child restarted' },
  'crash-loop': { level: 'warn', msg: 'stdio child crash-looping' },
  'crash-loop-ended': { level: 'info', msg: 'stdio child crash loop ended' },
  'inbound-dropped': { level: 'warn', msg: 'upstream sent more than the gateway takes' },
  era: { level: 'info', msg: 'replica era' },
  'tools-changed': { level: 'debug', msg: 'upstream tools changed' },
};

function connectionLine(e: Extract<ManagerEvent, { type: 'connection' }>) {
  const l = CONNECTION_LINES[e.kind];
  if (!l) return undefined;
  const fields: Record<string, unknown> = { detail: e.detail };
  if (e.era) fields.era = e.era;
  if (e.crashLoop) fields.crashLoop = e.crashLoop;
  if (e.dropped) fields.dropped = e.dropped;
  return { ...l, fields };
}
