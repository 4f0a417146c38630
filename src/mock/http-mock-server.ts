/**
 * In-process mock MCP server over Streamable HTTP on plain `node:http`.
 * - stateful: one `McpServer` + transport per session, keyed by `mcp-session-id`, at most `maxSessions`
 *   (the oldest is closed beyond that; nothing else expires them). Unknown session id → 404, a
 *   non-initialize request without one → 400 (what the SDK's own examples answer).
 * - stateless: a fresh `McpServer` + transport per POST; GET and DELETE → 405.
 * - `protocol: modern | dual`: the v2 SDK's `createMcpHandler` (a fresh 2026-07-28 server per request;
 *   `modern` answers 2025 clients -32022, `dual` serves them statelessly); `session` does not apply.
 * A crash (`crashAfterCalls`) destroys every socket without a goodbye and stops listening.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { createMockMcpServer } from './create-mock-mcp-server.js';
import { createModernMockServer } from './create-modern-mock-server.js';
import type { Execution } from './execution-log.js';
import { MockBehaviour, type MockBehaviourOptions } from './mock-behaviour.js';
import { type MockBehaviourUpdate, type MockServerSpec, resolveMockServerSpec } from './mock-server-spec.js';
import { type MockRuntimeTool, RuntimeTools } from './runtime-tools.js';

export interface MockServerStats {
  /** Tool calls received (all sessions). */
  calls: number;
  /** Live stateful sessions. */
  sessions: number;
  /** Open GET notification streams. */
  notificationStreams: number;
}

export interface MockServerHandle {
  /** `http://host:port/path`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening, closes every session and connection. Idempotent. */
  close(): Promise<void>;
  stats(): MockServerStats;
  /** Changes the behaviour at runtime (validated; RangeError quoting a bad value). */
  setBehaviour(update: MockBehaviourUpdate): void;
  /**
   * Adds a tool (or replaces a runtime one of that name) on every session now and later: each live
   * stateful session's client gets `notifications/tools/list_changed` on its GET notification stream (if
   * open); on 2026-07-28, every open `subscriptions/listen` stream that asked for tool changes gets it. RangeError for a bad tool or a built-in name. See runtime-tools.ts.
   */
  addTool(tool: MockRuntimeTool): void;
  /** Removes a tool added with addTool (sessions are notified); false if there was none. */
  removeTool(name: string): boolean;
  /**
   * Ends every open notification stream (2025: GET; 2026-07-28: `subscriptions/listen`) from the server
   * side (a clean end of the SSE response); the sessions live on. Resolves with how many were open, once they are closed.
   */
  dropNotificationStreams(): Promise<number>;
  /** Every tool call it executed (see execution-log.ts). */
  executions(): { executions: Execution[]; dropped: number };
  /** Whether `crashAfterCalls` made it crash. */
  readonly crashed: boolean;
  /** Resolves once the server has stopped, by close() or by a crash. */
  readonly stopped: Promise<void>;
}

export interface StartMockServerOptions extends MockBehaviourOptions {
  /** Called once after a crash has destroyed the sockets (e.g. the CLI exits the process). */
  onCrash?: () => void;
}

/** Largest accepted request body (bytes). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

interface Session {
  server: McpServer;
  transport: StreamableHTTPServerTransport;
}

/** Starts an HTTP mock server; resolves once it listens. */
export async function startMockServer(
  spec: MockServerSpec = {},
  options: StartMockServerOptions = {},
): Promise<MockServerHandle> {
  const s = resolveMockServerSpec(spec);
  if (s.transport !== 'http')
    throw new RangeError(`startMockServer serves http only, got transport "${s.transport}"`);
  const behaviour = new MockBehaviour(s, s.seed, options);
  const sessions = new Map<string, Session>();
  const statelessServers = new Set<McpServer>();
  const sockets = new Set<Socket>();
  const streams = new Set<ServerResponse>();
  const runtimeTools = new RuntimeTools(behaviour);
  let notificationStreams = 0;
  let stopping = false;
  let crashed = false;
  let closePromise: Promise<void> | undefined;
  let markStopped: () => void = () => {};
  const stopped = new Promise<void>((r) => {
    markStopped = r;
  });
  const enableJsonResponse = s.response === 'json';

  const newServer = () => {
    const server = createMockMcpServer(behaviour, s.name);
    runtimeTools.attach(server);
    return server;
  };

  const closeSession = (id: string, entry: Session) => {
    sessions.delete(id);
    void entry.server.close().catch(() => {});
  };

  const handleStateful = async (req: IncomingMessage, res: ServerResponse, body: unknown) => {
    const sid = req.headers['mcp-session-id'];
    if (typeof sid === 'string') {
      const entry = sessions.get(sid);
      if (!entry) return rpcError(res, 404, -32001, 'Session not found');
      if (req.method === 'GET') {
        notificationStreams++;
        streams.add(res);
        res.once('close', () => {
          notificationStreams--;
          streams.delete(res);
        });
      }
      await entry.transport.handleRequest(req, res, body);
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return rpcError(res, 400, -32000, 'Bad Request: No valid session ID provided');
    }
    const server = newServer();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse,
      onsessioninitialized: (id) => {
        sessions.set(id, { server, transport });
        for (const [oldId, old] of sessions) {
          if (sessions.size <= s.maxSessions) break;
          closeSession(oldId, old);
        }
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    if (!transport.sessionId) void server.close().catch(() => {});
  };

  const handleStateless = async (req: IncomingMessage, res: ServerResponse, body: unknown) => {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return rpcError(res, 405, -32000, 'Method not allowed (stateless server)');
    }
    const server = newServer();
    statelessServers.add(server);
    res.once('close', () => {
      statelessServers.delete(server);
      void server.close().catch(() => {});
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse,
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  // 2026-07-28 (and, for dual, 2025 served statelessly): the v2 SDK's handler, a fresh server per request.
  // Runtime tool changes reach 2026-07-28 clients on their `subscriptions/listen` streams.
  const modern =
    s.protocol === 'legacy'
      ? undefined
      : createMcpHandler(() => createModernMockServer(behaviour, s.name, runtimeTools.list()), {
          legacy: s.protocol === 'modern' ? 'reject' : 'stateless',
          // `response: sse` streams every answer (as a 2025 SSE server does); `json` is the SDK's `auto`,
          // JSON unless a tool sends something before its result (the mock's tools never do)
          responseMode: s.response === 'sse' ? 'sse' : 'auto',
        });
  const modernHandler = modern === undefined ? undefined : toNodeHandler(modern);
  const handle = (req: IncomingMessage, res: ServerResponse, body: unknown) => {
    if (modernHandler) {
      if ((body as { method?: unknown } | undefined)?.method === 'subscriptions/listen') {
        // a 2026-07-28 notification stream: counted, and ended by dropNotificationStreams() like a GET one
        notificationStreams++;
        streams.add(res);
        res.once('close', () => {
          notificationStreams--;
          streams.delete(res);
        });
      }
      return modernHandler(req, res, body);
    }
    return s.session === 'stateful' ? handleStateful(req, res, body) : handleStateless(req, res, body);
  };

  const http: Server = createServer((req, res) => {
    if (stopping) {
      res.destroy();
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== s.path) {
      rpcError(res, 404, -32000, `Not found: ${pathname}`);
      return;
    }
    readJsonBody(req)
      .then((body) => {
        if (body === PARSE_ERROR) return rpcError(res, 400, -32700, 'Parse error');
        if (body === TOO_LARGE) return rpcError(res, 413, -32000, 'Request body too large');
        return handle(req, res, body);
      })
      .catch(() => {
        if (!res.headersSent) rpcError(res, 500, -32603, 'Internal error');
        else res.destroy();
      });
  });
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const shutdownSessions = async () => {
    const servers = [...[...sessions.values()].map((e) => e.server), ...statelessServers];
    sessions.clear();
    statelessServers.clear();
    await Promise.all(servers.map((srv) => srv.close().catch(() => {})));
  };

  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!http.listening) {
        resolve();
        return;
      }
      http.close(() => resolve());
      http.closeAllConnections();
    });

  behaviour.onCrash(() => {
    crashed = true;
    stopping = true;
    for (const socket of sockets) socket.destroy();
    behaviour.close();
    void Promise.all([stopListening(), shutdownSessions()]).then(() => markStopped());
    options.onCrash?.();
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(s.port, s.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : s.port;
  const hostForUrl = s.host.includes(':') ? `[${s.host}]` : s.host;

  return {
    url: `http://${hostForUrl}:${port}${s.path}`,
    port,
    get crashed() {
      return crashed;
    },
    stopped,
    stats: () => ({ calls: behaviour.calls, sessions: sessions.size, notificationStreams }),
    executions: () => behaviour.executions.snapshot(),
    setBehaviour: (update) => behaviour.update(update),
    addTool: (tool) => {
      runtimeTools.add(tool);
      modern?.notify.toolsChanged();
    },
    removeTool: (name) => {
      const removed = runtimeTools.remove(name);
      if (removed) modern?.notify.toolsChanged();
      return removed;
    },
    dropNotificationStreams: async () => {
      const open = [...streams];
      const closed = open.map((res) => new Promise<void>((r) => res.once('close', () => r())));
      for (const res of open) res.end();
      await Promise.all(closed);
      return open.length;
    },
    close: () => {
      closePromise ??= (async () => {
        stopping = true;
        behaviour.close();
        await shutdownSessions();
        await stopListening();
        // after the sockets are gone: closing the v2 handler first would answer in-flight calls (a 500)
        await modern?.close().catch(() => {});
        for (const socket of sockets) socket.destroy();
        markStopped();
      })();
      return closePromise;
    },
  };
}

const PARSE_ERROR = Symbol('parse-error');
const TOO_LARGE = Symbol('too-large');

function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (req.method !== 'POST') return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(TOO_LARGE);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.once('error', reject);
    req.once('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(PARSE_ERROR);
      }
    });
  });
}

function rpcError(res: ServerResponse, status: number, code: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
