/**
 * The connection contract: one {@link EndpointConnection} per replica owns an SDK `Client` and its
 * transport, and turns every SDK fault into a classified `ChaosError` (see `classify-error.ts`).
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Clock } from '../../core/clock.js';
import type {
  ManagerEvent,
  ProgressListener,
  ServerNotificationListener,
  ServerRequestHandler,
  ToolInput,
} from '../types.js';
import type { ServerDetails } from './session-rpc.js';

/** One replica to connect to. Exactly one of `url` (http, sse) or `command` (stdio). */
export interface ConnectionEndpoint {
  /** Endpoint id used in events and errors, e.g. `search[0]`. */
  id: string;
  /** `http` = Streamable HTTP, `sse` = legacy HTTP+SSE, `stdio` = spawned child process. */
  transport: 'http' | 'sse' | 'stdio';
  /** http/sse: the MCP endpoint URL. */
  url?: string;
  /** http/sse: headers sent with every request (never logged). */
  headers?: Record<string, string>;
  /** stdio: argv array, spawned without a shell (`command[0]` is the executable). */
  command?: string[];
  /** stdio: extra environment variables (added to the SDK's safe default set: HOME, PATH, ...). */
  env?: Record<string, string>;
  /** stdio: working directory of the child. */
  cwd?: string;
  /** stdio: restart the child with backoff when it dies (default true). */
  restart?: boolean;
}

/** The `connection` variant of {@link ManagerEvent}. */
export type ConnectionEvent = Extract<ManagerEvent, { type: 'connection' }>;

export type ConnectionState = 'idle' | 'connecting' | 'ready' | 'broken' | 'closed';

export interface ConnectionOptions {
  /** Time source for deadlines, backoff and event times (default the system clock). */
  clock?: Clock;
  /** HTTP: max TCP connections for requests (undici `Agent({connections})`, default 16). The GET
   * notification stream uses one more socket of its own. */
  maxSockets?: number;
  /** Client name sent in `initialize` (default `mcp-chaos-manager`). */
  clientName?: string;
  /**
   * Capabilities the 2026-07-28 client declares (the caller fulfils them through `input_required`
   * results); never declared on 2025 sessions. Default none.
   */
  inputCapabilities?: Record<string, unknown>;
  /** Capabilities declared on 2025 sessions; their requests go to the caller (server-request-relay.ts). */
  legacyCapabilities?: Record<string, unknown>;
  /** A 2025 server's `roots/list` with no call in flight to ask (ManagerOptions.legacyRoots). */
  legacyRoots?: () => Record<string, unknown>;
  /** Receives every connection event (synchronously; a throwing listener is ignored). */
  onEvent?: (e: ConnectionEvent) => void;
  /** Receives a 2025 server's `notifications/resources/updated` (which belong to no call). */
  onServerNotification?: ServerNotificationListener;
  /** Backoff between reconnect/restart attempts: baseMs × 2^(failures−1), capped at maxMs (default 100 / 1000 ms). */
  reconnectBackoff?: { baseMs: number; maxMs: number };
  /** Deadline of one reconnect (spawn + initialize), ms (default 5000). */
  connectTimeoutMs?: number;
  /** Deadline of the first connect, ms (default connectTimeoutMs): a first `npx -y` download takes long. */
  firstConnectTimeoutMs?: number;
  /** HTTP: deadline of side requests — notifications such as `cancelled`, session DELETE — ms (default 1000). */
  auxTimeoutMs?: number;
  /** stdio: how long close() lets the child exit after stdin ends before SIGKILL, ms (default 500). */
  closeGraceMs?: number;
  /**
   * stdio: `direct` sends requests on a live session at once, with the SDK's own timer as the deadline
   * (fastest; its timers are real time), `scoped` gives each request a scope on the injected clock.
   * Default: `direct` unless a clock is injected. HTTP always takes the scoped path.
   */
  requestPath?: 'direct' | 'scoped';
  /**
   * HTTP: a request whose answer brings no byte for this long (from sending it; reset by the headers and
   * by every body chunk) fails as `stream-idle` (default: never). stdio has no per-request stream.
   */
  idleTimeoutMs?: number;
  /**
   * HTTP, 2026-07-28: the `subscriptions/listen` notification stream silent this long (not even a
   * keepalive) is dropped and reopened (default 45 s).
   */
  listenIdleMs?: number;
  /**
   * HTTP: an answer larger than this many bytes fails as `response-too-large`; stdio: a stdout line longer
   * than this ends the child, and the requests it had fail as `response-too-large` (default: no limit).
   */
  maxResponseBytes?: number;
  /**
   * The MCP era: `auto` (default; 2026-07-28 where the endpoint speaks it, else 2025, kept and decided
   * again when it changes), `modern` (2026-07-28 only) or `legacy` (2025 only). Legacy HTTP+SSE is 2025.
   */
  protocol?: 'auto' | 'modern' | 'legacy';
}

export interface RequestTimeoutOptions {
  /** Deadline of this request in ms (> 0). A lazy (re)connect counts against it. */
  timeoutMs: number;
  /** Caller's cancellation: the request then fails with CALL_CANCELLED. */
  signal?: AbortSignal;
}

export interface CallToolOptions extends RequestTimeoutOptions {
  /** May be replayed once on a fresh session after the server lost ours (default false). */
  idempotent?: boolean;
  /** The request's `_meta` (the same on a replay). */
  meta?: Record<string, unknown>;
  /** The answer to an earlier `input_required` result (2026-07-28; session-rpc.ts). */
  input?: ToolInput;
  /** Receives the server's progress notifications for this request (it then carries a progressToken). */
  onProgress?: ProgressListener;
  /** 2025: answers the server's requests while this call is in flight (server-request-relay.ts). */
  onServerRequest?: ServerRequestHandler;
  /** 2025: receives the server's log messages while this call is in flight. */
  onNotification?: ServerNotificationListener;
}

export interface ForwardOptions extends RequestTimeoutOptions {
  /** Receives the server's progress notifications for this request (it then carries a progressToken). */
  onProgress?: ProgressListener;
}

export interface EndpointConnection {
  readonly id: string;
  readonly state: ConnectionState;
  /** stdio: pid of the live child process (undefined when none). */
  readonly pid?: number;
  /**
   * Connects now (ignores the reconnect backoff). No-op when ready; re-initializes when broken.
   * Rejects with a classified ChaosError.
   */
  connect(signal?: AbortSignal): Promise<void>;
  /**
   * Calls a tool. Results with `isError: true` are returned, not thrown. Failures throw a ChaosError with
   * `details.failureClass` (CONNECTION_FAILED, CALL_TIMEOUT, SESSION_LOST, SERVER_ERROR, PROTOCOL_ERROR)
   * or CALL_CANCELLED when `signal` aborted.
   */
  callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    options: CallToolOptions,
  ): Promise<CallToolResult>;
  /** Sends `ping`; resolves when answered. Throws like callTool. */
  ping(options: RequestTimeoutOptions): Promise<void>;
  /** Lists every tool (all pages) within one deadline. Throws like callTool. */
  listTools(options: RequestTimeoutOptions): Promise<Tool[]>;
  /**
   * Sends any other request (`resources/read`, `prompts/get`, `completion/complete`, …) and resolves with
   * its result as the server sent it. Never replayed on another session (the caller decides). Throws like
   * callTool; a JSON-RPC error answer is a PROTOCOL_ERROR carrying the server's code.
   */
  request(
    method: string,
    params: Record<string, unknown> | undefined,
    options: ForwardOptions,
  ): Promise<Record<string, unknown>>;
  /**
   * What the server said of itself on the current session, and the era spoken (undefined while no session
   * is open). Optional: connections that cannot tell leave it out.
   */
  details?(): ConnectionDetails | undefined;
  /** Sends a notification on the current session when it is a 2025 one (2026-07-28 has no such path). */
  sendNotification?(method: string, params?: Record<string, unknown>): Promise<void>;
  /** Closes the client, ends the session / child, releases sockets and timers. Idempotent. */
  close(): Promise<void>;
}

/** A connection's server, as its current session knows it. */
export interface ConnectionDetails extends ServerDetails {
  era: 'modern' | 'legacy';
}
