/** Defaults and validation of {@link ConnectionOptions}. */
import { type Clock, systemClock } from '../../core/clock.js';
import { PROTOCOL_MODES } from '../settings-kinds.js';
import type { ServerNotificationListener } from '../types.js';
import { type BackoffSettings, DEFAULT_RECONNECT_BACKOFF, validateBackoff } from './backoff.js';
import type { ConnectionEvent, ConnectionOptions } from './endpoint-connection.js';
import type { ProtocolMode } from './protocol-era.js';

export interface ResolvedConnectionOptions {
  clock: Clock;
  maxSockets: number;
  clientName: string;
  /** Capabilities declared on 2026-07-28 sessions (ConnectionOptions.inputCapabilities). */
  inputCapabilities: Record<string, unknown>;
  /** Capabilities declared on 2025 sessions (ConnectionOptions.legacyCapabilities); {} = none. */
  legacyCapabilities: Record<string, unknown>;
  onEvent: ((e: ConnectionEvent) => void) | undefined;
  /** ConnectionOptions.legacyRoots. */
  legacyRoots: (() => Record<string, unknown>) | undefined;
  /** ConnectionOptions.onServerNotification. */
  onServerNotification: ServerNotificationListener | undefined;
  reconnectBackoff: BackoffSettings;
  /** Bound on every connect after the first (ms). */
  connectTimeoutMs: number;
  /** Bound on the first connect: spawn + handshake (ms; default connectTimeoutMs). */
  firstConnectTimeoutMs: number;
  auxTimeoutMs: number;
  closeGraceMs: number;
  /**
   * Which way requests on a live session go (see base-connection.ts): `direct` (stdio only; the SDK's own
   * timer keeps the deadline) or `scoped`. Default: `direct` when no clock is injected, else `scoped`
   * (an injected clock's timers must keep the deadlines). HTTP always takes the scoped path.
   */
  requestPath: 'direct' | 'scoped';
  /** HTTP: a request whose answer brings no byte for this long fails as `stream-idle` (undefined: never). */
  idleTimeoutMs: number | undefined;
  /** HTTP: an answer larger than this many bytes fails as `response-too-large` (undefined: no limit). */
  maxResponseBytes: number | undefined;
  /** The MCP era to speak (era-choice.ts). */
  protocol: ProtocolMode;
  /**
   * HTTP, 2026-07-28: the `subscriptions/listen` stream silent this long is dropped and reopened
   * (listen-watch.ts). Servers send a keepalive comment every 15 s by default (the v2 SDK's).
   */
  listenIdleMs: number;
}

export const CONNECTION_DEFAULTS = Object.freeze({
  maxSockets: 16,
  clientName: 'mcp-chaos-manager',
  connectTimeoutMs: 5000,
  auxTimeoutMs: 1000,
  closeGraceMs: 500,
  protocol: 'auto' as ProtocolMode,
  /** Three missed keepalives of the v2 SDK's default 15 s. */
  listenIdleMs: 45_000,
});

function protocolMode(p: string): ProtocolMode {
  if (!(PROTOCOL_MODES as readonly string[]).includes(p)) {
    throw new RangeError(`protocol must be one of ${PROTOCOL_MODES.join(', ')}, got ${JSON.stringify(p)}`);
  }
  return p as ProtocolMode;
}

/** Fills in defaults; RangeError quoting any bad value. */
export function resolveConnectionOptions(o: ConnectionOptions = {}): ResolvedConnectionOptions {
  const maxSockets = o.maxSockets ?? CONNECTION_DEFAULTS.maxSockets;
  if (!Number.isInteger(maxSockets) || maxSockets < 1) {
    throw new RangeError(`maxSockets must be an integer >= 1, got ${JSON.stringify(maxSockets)}`);
  }
  const clientName = o.clientName ?? CONNECTION_DEFAULTS.clientName;
  if (typeof clientName !== 'string' || clientName.length === 0) {
    throw new RangeError(`clientName must be a non-empty string, got ${JSON.stringify(clientName)}`);
  }
  return {
    clock: o.clock ?? systemClock,
    maxSockets,
    clientName,
    inputCapabilities: o.inputCapabilities ?? {},
    legacyCapabilities: o.legacyCapabilities ?? {},
    onEvent: o.onEvent,
    onServerNotification: o.onServerNotification,
    legacyRoots: o.legacyRoots,
    reconnectBackoff: validateBackoff(o.reconnectBackoff ?? DEFAULT_RECONNECT_BACKOFF),
    connectTimeoutMs: positive(
      'connectTimeoutMs',
      o.connectTimeoutMs ?? CONNECTION_DEFAULTS.connectTimeoutMs,
    ),
    firstConnectTimeoutMs: positive(
      'firstConnectTimeoutMs',
      o.firstConnectTimeoutMs ?? o.connectTimeoutMs ?? CONNECTION_DEFAULTS.connectTimeoutMs,
    ),
    auxTimeoutMs: positive('auxTimeoutMs', o.auxTimeoutMs ?? CONNECTION_DEFAULTS.auxTimeoutMs),
    closeGraceMs: positive('closeGraceMs', o.closeGraceMs ?? CONNECTION_DEFAULTS.closeGraceMs),
    requestPath: requestPath(o),
    idleTimeoutMs: o.idleTimeoutMs === undefined ? undefined : positive('idleTimeoutMs', o.idleTimeoutMs),
    maxResponseBytes:
      o.maxResponseBytes === undefined ? undefined : positive('maxResponseBytes', o.maxResponseBytes),
    protocol: protocolMode(o.protocol ?? CONNECTION_DEFAULTS.protocol),
    listenIdleMs: positive('listenIdleMs', o.listenIdleMs ?? CONNECTION_DEFAULTS.listenIdleMs),
  };
}

function requestPath(o: ConnectionOptions): 'direct' | 'scoped' {
  const path = o.requestPath ?? (o.clock === undefined || o.clock === systemClock ? 'direct' : 'scoped');
  if (path !== 'direct' && path !== 'scoped') {
    throw new RangeError(`requestPath must be direct or scoped, got ${JSON.stringify(path)}`);
  }
  return path;
}

function positive(name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new RangeError(`${name} must be a number of ms > 0, got ${JSON.stringify(v)}`);
  }
  return v;
}
