/**
 * 2025-era clients' sessions: one gateway server and one SDK Streamable HTTP transport (sessionful) per
 * `Mcp-Session-Id`, at most `maxSessions`; a session idle for `idleMs` is closed (an expired one is
 * closed first when the limit is reached; with none expired a new session is refused). An unknown
 * session id is 404 (the client then starts a new one, as the spec says).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { Server } from '@modelcontextprotocol/server';
import type { Clock } from '../core/clock.js';

interface Session {
  server: Server;
  transport: NodeStreamableHTTPServerTransport;
  lastSeen: number;
}

export type SessionAnswer = 'served' | 'unknown-session' | 'too-many-sessions' | 'no-session';

export class LegacySessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    private readonly newServer: () => Server,
    private readonly limits: () => { maxSessions: number; idleMs: number },
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Serves a request of a 2025 client: on its session, or an `initialize` that opens one. */
  async handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<SessionAnswer> {
    const sid = req.headers['mcp-session-id'];
    if (typeof sid === 'string') {
      const session = this.sessions.get(sid);
      if (session === undefined) return 'unknown-session';
      session.lastSeen = this.clock.now();
      await session.transport.handleRequest(req, res, body);
      return 'served';
    }
    if (req.method !== 'POST' || (body as { method?: unknown } | undefined)?.method !== 'initialize')
      return 'no-session';
    if (!this.makeRoom()) return 'too-many-sessions';
    const server = this.newServer();
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.sessions.set(id, { server, transport, lastSeen: this.clock.now() });
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

  /** Closes sessions idle past the limit. */
  expire(): void {
    const { idleMs } = this.limits();
    const now = this.clock.now();
    for (const [id, s] of this.sessions) if (now - s.lastSeen >= idleMs) this.close(id, s);
  }

  async closeAll(): Promise<void> {
    const all = [...this.sessions];
    this.sessions.clear();
    await Promise.allSettled(all.map(([, s]) => s.server.close()));
  }

  /** Whether a new session fits (after expiring idle ones). */
  private makeRoom(): boolean {
    if (this.sessions.size < this.limits().maxSessions) return true;
    this.expire();
    return this.sessions.size < this.limits().maxSessions;
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
