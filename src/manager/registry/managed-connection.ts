/**
 * What the manager needs from one endpoint's connection (connection/ provides `createConnection`, which
 * returns one). Kept structural so unit tests can pass a small fake through `McpManagerDeps`.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Clock } from '../../core/clock.js';
import type { ConnectionLike } from '../call/index.js';
import type { ConnectionDetails } from '../connection/index.js';
import type {
  FailureClass,
  ManagerEvent,
  ProgressListener,
  ProtocolMode,
  ServerNotificationListener,
} from '../types.js';
import type { EndpointSpec } from './endpoint-spec.js';

/** A tool as listed by `tools/list`. */
export type ToolInfo = Tool;

/** A connection-level happening, mapped to the manager's `connection` event. */
export type ConnectionNotice = Pick<
  Extract<ManagerEvent, { type: 'connection' }>,
  'kind' | 'detail' | 'dropped' | 'crashLoop' | 'era'
>;

export interface ManagedConnection extends ConnectionLike {
  readonly id: string;
  /** Connects (initialize). Rejects when the endpoint is unreachable; calls connect lazily anyway. */
  connect(signal?: AbortSignal): Promise<void>;
  ping(opts: { timeoutMs: number; signal?: AbortSignal }): Promise<void>;
  listTools(opts: { timeoutMs: number; signal?: AbortSignal }): Promise<ToolInfo[]>;
  /**
   * Any other request (resources, prompts, completion, logging level); its result as sent. Optional: a
   * connection without it is skipped by {@link McpManager.request}.
   */
  request?(
    method: string,
    params: Record<string, unknown> | undefined,
    opts: { timeoutMs: number; signal?: AbortSignal; onProgress?: ProgressListener },
  ): Promise<Record<string, unknown>>;
  /** Child pid for stdio endpoints. */
  readonly pid?: number | undefined;
  /** Sends a notification on the current 2025 session (optional; nothing without one). */
  sendNotification?(method: string, params?: Record<string, unknown>): Promise<void>;
  /** What the server said of itself on the current session, and its era (optional; undefined while none). */
  details?(): ConnectionDetails | undefined;
  /** Closes sockets / kills the child. Idempotent. */
  close(): Promise<void>;
}

export interface ConnectionFactoryOptions {
  clock: Clock;
  /** Max TCP connections for HTTP endpoints (pool.maxSockets). */
  maxSockets: number;
  clientName: string;
  /** Capabilities declared to 2026-07-28 servers for the caller (ManagerOptions.inputCapabilities). */
  inputCapabilities?: Record<string, unknown>;
  /** Capabilities declared to 2025 servers (ManagerOptions.legacyCapabilities). */
  legacyCapabilities?: Record<string, unknown>;
  /** ManagerOptions.legacyRoots. */
  legacyRoots?: () => Record<string, unknown>;
  onNotice: (n: ConnectionNotice) => void;
  /** A server's notification that belongs to no call (`notifications/resources/updated`). */
  onServerNotification?: ServerNotificationListener;
  /** HTTP: an attempt whose response brings no byte for this long fails as `stream-idle`. */
  idleTimeoutMs?: number;
  /** HTTP: an answer larger than this fails as `response-too-large`. */
  maxResponseBytes?: number;
  /** The MCP era to speak (default auto). */
  protocol?: ProtocolMode;
  /** Bound on the first connect (EndpointSettings.connectTimeoutMs); reconnects keep the short default. */
  firstConnectTimeoutMs?: number;
}

/** Creates the connection of one endpoint (does not connect yet). */
export type ConnectionFactory = (
  endpoint: EndpointSpec,
  options: ConnectionFactoryOptions,
) => ManagedConnection;

/** Maps a connection error to a failure class. */
export type ErrorClassifier = (e: unknown) => FailureClass;
