/**
 * Streamable HTTP (`http`) and legacy HTTP+SSE (`sse`) connections.
 * - Requests use the bounded per-endpoint fetch (bounded-fetch.ts): real per-request deadlines.
 * - A 404/400 for a request that carried our session id means the server lost the session: the base
 *   class re-initializes and replays idempotent calls.
 * - The GET notification stream: the SDK's own retries are off (`maxRetries: 0`); when the stream has
 *   died, the next successful request reopens it (with backoff between failed reopens); a new session
 *   opens its own. A reopened stream is reported as `tools-changed` (list_changed notifications sent while
 *   it was down are lost). Legacy SSE carries answers on that stream, so its death ends the session.
 * - Network errors do not end a Streamable HTTP session: the state turns `broken` and the next request
 *   simply tries again on the same session.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { backoffDelay } from './backoff.js';
import { BaseConnection, type SessionBase } from './base-connection.js';
import {
  createHttpAgents,
  createSessionFetch,
  type HttpAgents,
  type StreamEvent,
  trackScopes,
} from './bounded-fetch.js';
import { failureError, httpStatusOf } from './classify-error.js';
import { GuardedTransport } from './guarded-transport.js';
import type { ResolvedConnectionOptions } from './options.js';
import { type CallScope, RequestScope, raceSignal, ScopeRegistry } from './request-scope.js';
import { noAnswerFailure } from './response-watch.js';

const SDK_CONNECT_MARGIN_MS = 1000;
/** The SDK's own GET-stream retries are off: we reopen the stream ourselves (see onRequestSuccess). */
const NO_SDK_STREAM_RETRIES = {
  initialReconnectionDelay: 1000,
  maxReconnectionDelay: 30_000,
  reconnectionDelayGrowFactor: 1.5,
  maxRetries: 0,
};

interface HttpSession extends SessionBase {
  readonly transport: StreamableHTTPClientTransport | SSEClientTransport;
  /** Which request scope owns which JSON-RPC id (read by the fetch wrapper). */
  readonly registry: ScopeRegistry;
  /** The GET notification stream. */
  stream: 'pending' | StreamEvent;
  reopening: boolean;
  reopenFailures: number;
  reopenAt: number;
  disposed: boolean;
}

export class HttpConnection extends BaseConnection<HttpSession> {
  private readonly agents: HttpAgents;
  private readonly url: URL;
  private readonly legacy: boolean;

  constructor(id: string, url: URL, legacy: boolean, opts: ResolvedConnectionOptions) {
    super(id, opts);
    this.url = url;
    this.legacy = legacy;
    this.agents = createHttpAgents(opts.maxSockets);
  }

  get pid(): undefined {
    return undefined;
  }

  /** State of the GET notification stream of the current session (diagnostics and tests). */
  get notificationStream(): 'none' | HttpSession['stream'] {
    return this.session?.stream ?? 'none';
  }

  /** Requests re-sent on a fresh connection after dying on a stale keep-alive socket (see stale-socket.ts). */
  get staleSocketRetries(): number {
    return this.agents.staleRetries;
  }

  /** Mcp-Session-Id of the current session (Streamable HTTP, stateful servers). */
  get sessionId(): string | undefined {
    const t = this.session?.transport;
    return t instanceof StreamableHTTPClientTransport ? t.sessionId : undefined;
  }

  protected async openSession(call: CallScope): Promise<HttpSession> {
    let session: HttpSession | undefined;
    const registry = new ScopeRegistry();
    const fetch = createSessionFetch({
      agents: this.agents,
      clock: this.clock,
      auxTimeoutMs: this.opts.auxTimeoutMs,
      registry,
      endpoint: this.id,
      ...(this.opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: this.opts.idleTimeoutMs } : {}),
      ...(this.opts.maxResponseBytes !== undefined ? { maxResponseBytes: this.opts.maxResponseBytes } : {}),
      onStream: (e) => {
        if (session) this.onStream(session, e);
      },
    });
    const transport = this.legacy
      ? new SSEClientTransport(this.url, { fetch })
      : new StreamableHTTPClientTransport(this.url, { fetch, reconnectionOptions: NO_SDK_STREAM_RETRIES });
    // Server requests and notifications pass a guard first; the scope tracking sees what it lets through.
    const guarded = new GuardedTransport(transport, this.newInboundGuard());
    // Legacy SSE answers on the GET stream: only a Streamable HTTP response must carry its answer.
    trackScopes(guarded, registry, this.legacy ? undefined : (op) => noAnswerFailure(this.id, op));
    const client = new Client({ name: this.opts.clientName, version: '0.1.0' }, { capabilities: {} });
    client.onerror = () => {
      // failures are classified per request; stream health is tracked by the fetch wrapper
    };
    const created: HttpSession = {
      client,
      transport,
      registry,
      stream: 'pending',
      reopening: false,
      reopenFailures: 0,
      reopenAt: 0,
      disposed: false,
      label: () =>
        transport instanceof StreamableHTTPClientTransport ? (transport.sessionId ?? 'stateless') : 'sse',
    };
    session = created;
    this.watchToolList(created);
    const details = { endpoint: this.id, op: 'connect' };
    const scope = new RequestScope(call, (cause) =>
      failureError(
        'connection',
        `${this.id}: initialize: the response stream ended before the answer`,
        details,
        cause,
      ),
    );
    registry.setConnectScope(scope);
    try {
      await raceSignal(
        scope.run((signal) =>
          client.connect(guarded, { signal, timeout: call.remainingMs() + SDK_CONNECT_MARGIN_MS }),
        ),
        call.signal,
      );
    } catch (e) {
      created.disposed = true;
      await client.close().catch(() => {});
      throw e;
    } finally {
      registry.setConnectScope(undefined);
      registry.release(scope);
    }
    return created;
  }

  protected override sendScoped<R>(
    session: HttpSession,
    scope: RequestScope,
    send: () => Promise<R>,
  ): Promise<R> {
    return session.registry.claim(scope, send).finally(() => session.registry.release(scope));
  }

  protected async disposeSession(session: HttpSession, terminate: boolean): Promise<void> {
    if (session.disposed) return;
    session.disposed = true;
    const t = session.transport;
    if (terminate && t instanceof StreamableHTTPClientTransport && t.sessionId !== undefined) {
      // bounded by the fetch wrapper's side-request deadline
      await t.terminateSession().catch(() => {});
    }
    await session.client.close().catch(() => {});
  }

  protected override isSessionGone(e: unknown, session: HttpSession): boolean {
    const status = httpStatusOf(e);
    if (status !== 404 && status !== 400) return false;
    const t = session.transport;
    return t instanceof SSEClientTransport || t.sessionId !== undefined;
  }

  protected override onRequestSuccess(session: HttpSession): void {
    const t = session.transport;
    if (!(t instanceof StreamableHTTPClientTransport)) return;
    if (session.stream !== 'closed' || session.reopening || session.disposed) return;
    if (this.clock.now() < session.reopenAt) return;
    session.reopening = true;
    this.track(
      t
        .resumeStream('')
        .then(
          () => {
            session.reopenFailures = 0;
          },
          () => {
            session.reopenFailures++;
            session.reopenAt =
              this.clock.now() + backoffDelay(session.reopenFailures, this.opts.reconnectBackoff);
          },
        )
        .finally(() => {
          session.reopening = false;
        }),
    );
  }

  protected override async afterClose(): Promise<void> {
    await this.agents.destroy();
  }

  private onStream(session: HttpSession, e: StreamEvent): void {
    const wasOpen = session.stream === 'open';
    const reopened = e === 'open' && session.stream === 'closed';
    session.stream = e;
    if (reopened && !session.disposed && this.state !== 'closed') {
      // Notifications sent while the stream was down are lost (a server keeps no backlog by default):
      // the tool list may have changed unseen.
      this.emit(
        'tools-changed',
        `${session.label()}: notification stream reopened; changes may have been missed`,
      );
    }
    if (session.disposed || session !== this.session || e !== 'closed' || !wasOpen || !this.legacy) return;
    // Legacy SSE: answers travel on the stream, so the session is gone with it.
    this.session = undefined;
    this.retryAt = this.clock.now();
    this.setState('broken', 'disconnected', 'SSE stream closed');
    this.track(this.disposeSession(session, false));
  }
}
