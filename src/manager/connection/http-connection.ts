/**
 * Streamable HTTP (`http`) and legacy HTTP+SSE (`sse`) connections, in either MCP era (era-choice.ts):
 * 2025 sessions on the v1 SDK client, 2026-07-28 sessions on the v2 client (no handshake, no session, no
 * GET stream: only the points below about requests and the bounded fetch apply to them).
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
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { TimerHandle } from '../../core/clock.js';
import { backoffDelay } from './backoff.js';
import { BaseConnection, type SessionBase } from './base-connection.js';
import { createSessionFetch, type StreamEvent, trackScopes, withHeaders } from './bounded-fetch.js';
import { failureError, httpStatusOf } from './classify-error.js';
import { EraChoice } from './era-choice.js';
import { GuardedTransport } from './guarded-transport.js';
import { createHttpAgents, type HttpAgents } from './http-agents.js';
import { type ListenWatch, watchToolChanges } from './listen-watch.js';
import type { ResolvedConnectionOptions } from './options.js';
import { ERA_VERSIONS, type ProtocolEra, versionMismatchOf } from './protocol-era.js';
import { type CallScope, RequestScope, raceSignal, ScopeRegistry } from './request-scope.js';
import { noAnswerFailure } from './response-watch.js';
import { installResourceUpdates } from './server-request-relay.js';
import { legacyRpc, modernRpc } from './session-rpc.js';

const SDK_CONNECT_MARGIN_MS = 1000;
/** The SDK's own GET-stream retries are off: we reopen the stream ourselves (see onRequestSuccess). */
/** Longest a new 2025 session waits for its notification stream's first answer before it serves (ms). */
const STREAM_WAIT_MS = 500;

const NO_SDK_STREAM_RETRIES = {
  initialReconnectionDelay: 1000,
  maxReconnectionDelay: 30_000,
  reconnectionDelayGrowFactor: 1.5,
  maxRetries: 0,
};

interface HttpSession extends SessionBase {
  readonly era: ProtocolEra;
  /** Closes the session's client (and its transport). */
  readonly closeClient: () => Promise<void>;
  /** The 2025 transport (undefined on a 2026-07-28 session). */
  readonly transport: StreamableHTTPClientTransport | SSEClientTransport | undefined;
  /** Which request scope owns which JSON-RPC id (read by the fetch wrapper). */
  readonly registry: ScopeRegistry;
  /** The GET notification stream (2025). */
  stream: 'pending' | StreamEvent;
  /** The `subscriptions/listen` stream (2026-07-28; listen-watch.ts). */
  listen: ListenWatch | undefined;
  reopening: boolean;
  reopenFailures: number;
  reopenAt: number;
  disposed: boolean;
}

export class HttpConnection extends BaseConnection<HttpSession> {
  private readonly agents: HttpAgents;
  private readonly url: URL;
  /** Legacy HTTP+SSE (2025 only). */
  private readonly legacy: boolean;
  private readonly eras: EraChoice;

  constructor(
    id: string,
    url: URL,
    legacy: boolean,
    opts: ResolvedConnectionOptions,
    /** Sent with every request (e.g. authorization). */
    private readonly headers?: Record<string, string>,
  ) {
    super(id, opts);
    this.url = url;
    this.legacy = legacy;
    this.agents = createHttpAgents(opts.maxSockets);
    this.eras = new EraChoice(legacy ? 'legacy' : opts.protocol, id, (era) =>
      this.emit('era', `${ERA_VERSIONS[era]} (${era})`, { era }),
    );
  }

  /** The era of the current session (undefined before the first one). */
  get era(): ProtocolEra | undefined {
    return this.session?.era ?? this.eras.era;
  }

  get pid(): undefined {
    return undefined;
  }

  /**
   * State of the notification stream of the current session (diagnostics and tests): the GET stream on
   * 2025, the `subscriptions/listen` stream on 2026-07-28 (`unsupported` when the server offers no
   * tool-list changes).
   */
  get notificationStream(): 'none' | HttpSession['stream'] {
    const s = this.session;
    if (s === undefined) return 'none';
    if (s.era === 'legacy') return s.stream;
    if (s.listen === undefined || !s.listen.watching) return 'unsupported';
    return s.listen.isOpen ? 'open' : 'closed';
  }

  /** `subscriptions/listen` streams opened on the current 2026-07-28 session (diagnostics and tests). */
  get listenOpens(): number {
    return this.session?.listen?.opens ?? 0;
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

  protected openSession(call: CallScope): Promise<HttpSession> {
    return this.eras.open(
      () => this.openModern(call),
      () => this.openLegacy(call),
      () => call.signal.aborted,
    );
  }

  /** The bounded fetch of one session (bounded-fetch.ts). */
  private sessionFetch(
    registry: ScopeRegistry,
    onStream: (e: StreamEvent) => void,
    resume?: (lastEventId: string) => Promise<void>,
  ) {
    const f = createSessionFetch({
      ...(resume ? { resume } : {}),
      agents: this.agents,
      clock: this.clock,
      auxTimeoutMs: this.opts.auxTimeoutMs,
      registry,
      endpoint: this.id,
      ...(this.opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: this.opts.idleTimeoutMs } : {}),
      ...(this.opts.maxResponseBytes !== undefined ? { maxResponseBytes: this.opts.maxResponseBytes } : {}),
      listenIdleMs: this.opts.listenIdleMs,
      onStream,
    });
    return this.headers === undefined ? f : withHeaders(f, this.headers);
  }

  /** A 2026-07-28 session: the v2 client pinned to it (its `server/discover` probe is the connect). */
  private async openModern(call: CallScope): Promise<HttpSession> {
    const registry = new ScopeRegistry();
    const transport = new ModernTransport(this.url, { fetch: this.sessionFetch(registry, () => {}) });
    const guarded = new GuardedTransport(transport as unknown as Transport, this.newInboundGuard());
    trackScopes(guarded, registry, (op) => noAnswerFailure(this.id, op));
    const client = new ModernClient(
      { name: this.opts.clientName, version: '0.1.0' },
      {
        capabilities: this.opts.inputCapabilities,
        versionNegotiation: { mode: { pin: ERA_VERSIONS.modern } },
      },
    );
    client.onerror = () => {};
    const session: HttpSession = {
      era: 'modern',
      rpc: modernRpc(client),
      closeClient: () => client.close(),
      transport: undefined,
      registry,
      stream: 'unsupported',
      listen: undefined,
      reopening: false,
      reopenFailures: 0,
      reopenAt: 0,
      disposed: false,
      label: () => 'modern',
    };
    await this.connectClient(call, session, (signal, timeout) =>
      client.connect(guarded as never, { signal, timeout }),
    );
    session.listen = watchToolChanges(
      client,
      this.opts,
      (detail) => {
        if (!session.disposed && this.state !== 'closed') this.emit('tools-changed', `modern: ${detail}`);
      },
      (p) => this.track(p),
    );
    return session;
  }

  /** A 2025 session on the v1 client: initialize, session id, GET notification stream. */
  private async openLegacy(call: CallScope): Promise<HttpSession> {
    let session: HttpSession | undefined;
    const registry = new ScopeRegistry();
    let resumable: StreamableHTTPClientTransport | undefined;
    let streamAnswered = () => {};
    const firstStream = new Promise<void>((r) => {
      streamAnswered = r;
    });
    const fetch = this.sessionFetch(
      registry,
      (e) => {
        if (session) this.onStream(session, e);
        streamAnswered();
      },
      // SEP-1699: a request's stream the server ended after a priming event is resumed (sse-resume.ts)
      this.legacy ? undefined : (lastEventId) => resumable?.resumeStream(lastEventId) ?? Promise.resolve(),
    );
    const transport = this.legacy
      ? new SSEClientTransport(this.url, { fetch })
      : new StreamableHTTPClientTransport(this.url, { fetch, reconnectionOptions: NO_SDK_STREAM_RETRIES });
    if (transport instanceof StreamableHTTPClientTransport) resumable = transport;
    // Server requests and notifications pass a guard first; the scope tracking sees what it lets through.
    const guarded = new GuardedTransport(transport, this.newInboundGuard());
    // Legacy SSE answers on the GET stream: only a Streamable HTTP response must carry its answer.
    trackScopes(guarded, registry, this.legacy ? undefined : (op) => noAnswerFailure(this.id, op));
    const client = new Client(
      { name: this.opts.clientName, version: '0.1.0' },
      { capabilities: this.opts.legacyCapabilities },
    );
    if (Object.keys(this.opts.legacyCapabilities).length > 0)
      this.relay.install(client, this.id, this.opts.legacyCapabilities, this.opts.legacyRoots);
    installResourceUpdates(client, this.opts.onServerNotification);
    client.onerror = () => {
      // failures are classified per request; stream health is tracked by the fetch wrapper
    };
    const created: HttpSession = {
      era: 'legacy',
      rpc: legacyRpc(client, this.id),
      closeClient: () => client.close(),
      transport,
      registry,
      stream: 'pending',
      listen: undefined,
      reopening: false,
      reopenFailures: 0,
      reopenAt: 0,
      disposed: false,
      label: () =>
        transport instanceof StreamableHTTPClientTransport ? (transport.sessionId ?? 'stateless') : 'sse',
    };
    session = created;
    this.watchToolList(client, created.label);
    await this.connectClient(call, created, (signal, timeout) =>
      client.connect(guarded, { signal, timeout }),
    );
    // The SDK opens the notification stream after `initialized` without waiting for it: wait (briefly)
    // for its first answer, so that what the server sends there from now on is heard — and an answer a
    // server puts on that stream is not raced by the requests that follow at once.
    if (transport instanceof StreamableHTTPClientTransport && created.stream === 'pending') {
      let timer: TimerHandle | undefined;
      await Promise.race([
        firstStream,
        new Promise<void>((r) => {
          timer = this.clock.setTimeout(r, STREAM_WAIT_MS);
        }),
      ]);
      this.clock.clearTimeout(timer);
    }
    return created;
  }

  /** Runs a session's connect under the connect call's deadline; a failed connect closes the client. */
  private async connectClient(
    call: CallScope,
    session: HttpSession,
    connect: (signal: AbortSignal, timeout: number) => Promise<void>,
  ): Promise<void> {
    const registry = session.registry;
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
        scope.run((signal) => connect(signal, call.remainingMs() + SDK_CONNECT_MARGIN_MS)),
        call.signal,
      );
    } catch (e) {
      session.disposed = true;
      await session.closeClient().catch(() => {});
      throw e;
    } finally {
      registry.setConnectScope(undefined);
      registry.release(scope);
    }
  }

  protected override sendScoped<R>(
    session: HttpSession,
    scope: RequestScope,
    send: (tag?: string) => Promise<R>,
  ): Promise<R> {
    const registry = session.registry;
    // the v2 client sends after awaits of its own: its requests find their scope by tag
    const tag = session.era === 'modern' ? registry.tag(scope) : undefined;
    return registry.claim(scope, () => send(tag)).finally(() => registry.release(scope));
  }

  protected async disposeSession(session: HttpSession, terminate: boolean): Promise<void> {
    if (session.disposed) return;
    session.disposed = true;
    await session.listen?.stop();
    const t = session.transport;
    if (terminate && t instanceof StreamableHTTPClientTransport && t.sessionId !== undefined) {
      // bounded by the fetch wrapper's side-request deadline
      await t.terminateSession().catch(() => {});
    }
    await session.closeClient().catch(() => {});
  }

  /**
   * A version mismatch, or a 404/400 to a 2026-07-28 request (a 2025 server's "no valid session"): the
   * server refused the request before running it.
   */
  protected override refusedUnexecuted(e: unknown, session: HttpSession): boolean {
    if (versionMismatchOf(e)) return true;
    const status = httpStatusOf(e);
    return session.era === 'modern' && (status === 404 || status === 400);
  }

  /**
   * A 404/400 for a request that carried our 2025 session id: the server lost the session. In `auto`, a
   * version mismatch — or, on a 2026-07-28 session, any 404/400 (a 2025 server answers the envelope so) —
   * means the endpoint may now speak the other era: the session is dropped and the era decided again.
   */
  protected override isSessionGone(e: unknown, session: HttpSession): boolean {
    const status = httpStatusOf(e);
    if (
      this.eras.mode === 'auto' &&
      (versionMismatchOf(e) || (session.era === 'modern' && (status === 404 || status === 400)))
    ) {
      this.eras.forget();
      return true;
    }
    if (status !== 404 && status !== 400) return false;
    const t = session.transport;
    return t instanceof SSEClientTransport || t?.sessionId !== undefined;
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
