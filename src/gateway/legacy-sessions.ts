/**
 * 2025-era clients' sessions: one gateway server and one SDK Streamable HTTP transport (sessionful) per
 * `Mcp-Session-Id`.
 *
 * - A session belongs to the client that opened it (its token, else its address): any other client that
 *   names it gets 404, as for an unknown session — it can neither call on it, listen on it nor DELETE it.
 * - At most `maxSessions` in all and `perClient` per client. A client at its quota loses its own least
 *   recently used idle session to the new one; a full table first closes sessions idle past `idleMs`, then
 *   the least recently used idle one of any client. Only when no session is idle (every one has a request
 *   or a stream open) is a new one refused: `client-quota` (429) or `too-many-sessions` (503).
 * - An unknown session id is 404 (the client then starts a new one, as the spec says).
 * - A request whose JSON-RPC id is already in flight on the session is refused (`duplicate-id`, 400): the
 *   SDK would route both answers to one stream and leave the other request open forever.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { Server } from '@modelcontextprotocol/server';
import type { Clock } from '../core/clock.js';

interface Session {
  server: Server;
  transport: NodeStreamableHTTPServerTransport;
  owner: string;
  lastSeen: number;
  /** Requests and streams open on it: a session with any is not idle and never evicted. */
  open: number;
  /** JSON-RPC ids of its requests in flight (a second request with one would never be answered). */
  ids: Set<string>;
}

export type SessionAnswer =
  | 'served'
  | 'unknown-session'
  | 'too-many-sessions'
  | 'client-quota'
  | 'no-session'
  | 'duplicate-id';

/** The ids of the requests (not notifications or responses) in a POST body, as strings. */
function requestIds(body: unknown): string[] {
  const msgs = Array.isArray(body) ? body : [body];
  const ids: string[] = [];
  for (const m of msgs) {
    const { id, method } = (m ?? {}) as { id?: unknown; method?: unknown };
    if (typeof method === 'string' && (typeof id === 'string' || typeof id === 'number'))
      ids.push(`${typeof id}:${id}`);
  }
  return ids;
}

export interface SessionLimits {
  maxSessions: number;
  perClient: number;
  idleMs: number;
}

export class LegacySessions {
  /** In least-recently-used order (a session is moved to the end when used). */
  private readonly sessions = new Map<string, Session>();
  constructor(
    private readonly clock: Clock,
    private readonly newServer: () => Server,
    private readonly limits: () => SessionLimits,
    /** Told of every session closed to make room for another. */
    private readonly onEvict: () => void = () => {},
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Serves a request of a 2025 client (`client`: its token or address): on its session, or an `initialize`. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    client: string,
  ): Promise<SessionAnswer> {
    const sid = req.headers['mcp-session-id'];
    if (typeof sid === 'string') {
      const session = this.sessions.get(sid);
      if (session === undefined || session.owner !== client) return 'unknown-session';
      const ids = req.method === 'POST' ? requestIds(body) : [];
      if (ids.some((id, i) => session.ids.has(id) || ids.indexOf(id) !== i)) return 'duplicate-id';
      for (const id of ids) session.ids.add(id);
      res.once('close', () => {
        for (const id of ids) session.ids.delete(id);
      });
      this.touch(sid, session);
      this.hold(session, res);
      await session.transport.handleRequest(req, res, body);
      return 'served';
    }
    if (req.method !== 'POST' || (body as { method?: unknown } | undefined)?.method !== 'initialize')
      return 'no-session';
    const room = this.makeRoom(client);
    if (room !== undefined) return room;
    const server = this.newServer();
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        const s: Session = {
          server,
          transport,
          owner: client,
          lastSeen: this.clock.now(),
          open: 0,
          ids: new Set(),
        };
        this.sessions.set(id, s);
        this.hold(s, res);
      },
      onsessionclosed: (id) => {
        this.drop(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) this.drop(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    if (transport.sessionId === undefined) void server.close().catch(() => {});
    return 'served';
  }

  /** Every live session's server (to tell each client of a list change). */
  servers(): Server[] {
    return [...this.sessions.values()].map((s) => s.server);
  }

  /** Closes sessions idle past the limit (none with a request or stream open). */
  expire(): void {
    const { idleMs } = this.limits();
    const now = this.clock.now();
    for (const [id, s] of this.sessions) if (s.open === 0 && now - s.lastSeen >= idleMs) this.close(id, s);
  }

  async closeAll(): Promise<void> {
    const all = [...this.sessions];
    this.sessions.clear();
    await Promise.allSettled(all.map(([, s]) => s.server.close()));
  }

  /** Undefined when a new session of `client` fits (after closing idle ones), else the refusal. */
  private makeRoom(client: string): SessionAnswer | undefined {
    const { maxSessions, perClient } = this.limits();
    let own = 0;
    for (const s of this.sessions.values()) if (s.owner === client) own++;
    if (own >= perClient && !this.evictIdle((s) => s.owner === client)) return 'client-quota';
    if (this.sessions.size < maxSessions) return undefined;
    this.expire();
    if (this.sessions.size < maxSessions) return undefined;
    return this.evictIdle(() => true) ? undefined : 'too-many-sessions';
  }

  /** Closes the least recently used idle session that `which` accepts; whether there was one. */
  private evictIdle(which: (s: Session) => boolean): boolean {
    for (const [id, s] of this.sessions) {
      if (s.open > 0 || !which(s)) continue;
      this.close(id, s);
      this.onEvict();
      return true;
    }
    return false;
  }

  /** Marks `s` busy until `res` closes. */
  private hold(s: Session, res: ServerResponse): void {
    s.open++;
    res.once('close', () => {
      s.open--;
      s.lastSeen = this.clock.now();
    });
  }

  private touch(id: string, s: Session): void {
    s.lastSeen = this.clock.now();
    this.sessions.delete(id);
    this.sessions.set(id, s);
  }

  private close(id: string, s: Session): void {
    this.sessions.delete(id);
    void s.server.close().catch(() => {});
  }

  private drop(id: string): void {
    const s = this.sessions.get(id);
    if (s !== undefined) this.close(id, s);
  }
}
