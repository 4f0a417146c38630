/**
 * (Over 350 lines: the connection state machine and the scoped request path share their state; the direct
 * path, backoff, scopes and failure classification are files of their own.)
 *
 * What every transport shares: the state machine, single-flight (re)connect with backoff, per-request
 * deadlines and cancellation, session recovery with idempotent replay, events, and close().
 * Subclasses open/dispose sessions (one SDK Client + transport each) and add transport specifics.
 *
 * Two request paths, chosen by the `requestPath` option:
 * - **direct** (direct-requests.ts): on a live session the SDK request goes out at once, the SDK's own
 *   timer keeping the deadline; the default for stdio without an injected clock.
 * - **scoped** (everything else: HTTP, connect/reconnect, session recovery, injected clocks): a
 *   {@link CallScope} (deadline timer on the injected clock, caller signal, close) and a
 *   {@link RequestScope} per SDK request.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  type CallToolResult,
  type Tool,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { type Clock, systemClock } from '../../core/clock.js';
import { ChaosError, errorMessage } from '../../core/errors.js';
import { backoffDelay } from './backoff.js';
import { cancelledError, type FailureDetails, failureError, httpStatusOf } from './classify-error.js';
import type {
  CallToolOptions,
  ConnectionDetails,
  ConnectionEvent,
  ConnectionState,
  EndpointConnection,
  ForwardOptions,
  RequestTimeoutOptions,
} from './endpoint-connection.js';
import { DEFAULT_INBOUND_LIMITS, InboundGuard } from './inbound-guard.js';
import { listingProblem } from './listing-bounds.js';
import { closedError, connectFailure, type FailureContext, normalizeFailure } from './normalize-failure.js';
import type { ResolvedConnectionOptions } from './options.js';
import type { ProtocolEra } from './protocol-era.js';
import { CallScope, RequestScope, raceSignal, SCOPE_TAG_HEADER, ScopeEnd } from './request-scope.js';
import { ServerRequestRelay } from './server-request-relay.js';
import type { RpcOptions, SessionRpc } from './session-rpc.js';

/** The SDK's own request timeout is set this much beyond our deadline: a backstop that never wins. */
const SDK_TIMEOUT_MARGIN_MS = 1000;

/** One SDK Client + transport. */
export interface SessionBase {
  /** The session's requests, in its era's SDK. */
  readonly rpc: SessionRpc;
  /** The MCP era it speaks. */
  readonly era: ProtocolEra;
  /** Human-readable id for events (session id, pid). */
  label(): string;
}

/** The direct request path (direct-requests.ts), for sessions whose transport needs no scope of ours. */
export interface DirectPath<S> {
  accepts(options: RequestTimeoutOptions): boolean;
  callTool(
    session: S,
    name: string,
    args: Record<string, unknown> | undefined,
    options: CallToolOptions,
  ): Promise<CallToolResult>;
  ping(session: S, options: RequestTimeoutOptions): Promise<void>;
}

type ConnectReason = 'lazy' | 'explicit' | 'recovery' | 'restart';
type Exec = <R>(fn: (rpc: SessionRpc, options: RpcOptions) => Promise<R>) => Promise<R>;
const noop = () => {};

export abstract class BaseConnection<S extends SessionBase> implements EndpointConnection {
  readonly id: string;
  protected readonly clock: Clock;
  protected readonly opts: ResolvedConnectionOptions;
  protected session: S | undefined;
  /**
   * The direct request path for requests on a live session (no request scopes), or undefined: set by
   * subclasses whose transport needs no per-request signal of ours, when `requestPath` is `direct`.
   */
  protected direct: DirectPath<S> | undefined;
  /** Consecutive failed connects / process deaths since a request last succeeded. */
  protected failures = 0;
  /** No lazy reconnect before this time (clock ms). */
  protected retryAt = 0;
  /** Why the last connect failed (cleared by a successful one). */
  private lastConnectError: ChaosError | undefined;
  /** Whether a connect ever succeeded: the first gets `firstConnectTimeoutMs`, later ones the short limit. */
  private connectedOnce = false;
  private current: ConnectionState = 'idle';
  private connecting: Promise<S> | undefined;
  private readonly liveCalls = new Set<CallScope>();
  /** Sessions dropped because the server lost them: requests still pending on one fail with it. */
  private readonly lostSessions = new WeakSet<S>();
  private readonly background = new Set<Promise<unknown>>();
  /** 2025 servers' own requests and log messages, to the callers in flight (server-request-relay.ts). */
  protected readonly relay = new ServerRequestRelay();
  private closing: Promise<void> | undefined;

  constructor(id: string, opts: ResolvedConnectionOptions) {
    this.id = id;
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
  }

  get state(): ConnectionState {
    return this.current;
  }

  async sendNotification(method: string, params?: Record<string, unknown>): Promise<void> {
    const s = this.session;
    if (s !== undefined && s.era === 'legacy') await s.rpc.notify(method, params);
  }

  details(): ConnectionDetails | undefined {
    const s = this.session;
    return s === undefined ? undefined : { ...s.rpc.server(), era: s.era };
  }

  abstract get pid(): number | undefined;

  /** Opens a session whose connect honours `call.signal`; cleans up after itself on failure. */
  protected abstract openSession(call: CallScope): Promise<S>;
  /** Ends a session (best effort, bounded). `terminate` also ends the server-side session. */
  protected abstract disposeSession(session: S, terminate: boolean): Promise<void>;
  /** Why a lazy reconnect is not allowed now (undefined = allowed). */
  protected lazyConnectBlocked(): string | undefined {
    if (this.current === 'broken' && this.clock.now() < this.retryAt) {
      return `reconnecting in ${Math.ceil(this.retryAt - this.clock.now())} ms (backoff after ${this.failures} failures)`;
    }
    return undefined;
  }
  /**
   * Whether the server refused the request `e` ended without executing it (so even a call that may not be
   * repeated can go again on a new session); default: never known.
   */
  protected refusedUnexecuted(_e: unknown, _session: S): boolean {
    return false;
  }
  /** Whether `e` means the server lost `session` (HTTP 404/400 for a request carrying its id). */
  protected isSessionGone(_e: unknown, _session: S): boolean {
    return false;
  }
  /**
   * Sends one SDK request of `scope`; HTTP maps its id to the scope. `send(tag)`: a tag the request carries
   * in its transport options (SCOPE_TAG_HEADER) when the SDK may send it asynchronously (v2).
   */
  protected sendScoped<R>(_session: S, _scope: RequestScope, send: (tag?: string) => Promise<R>): Promise<R> {
    return send();
  }
  protected onRequestSuccess(_session: S): void {}
  /** What a failure really was, when the transport knows better than the SDK's error (default: itself). */
  protected explainFailure(e: unknown): unknown {
    return e;
  }
  protected onConnectFailed(_reason: ConnectReason): void {}
  protected beforeExplicitConnect(): void {}
  protected async afterClose(): Promise<void> {}

  async connect(signal?: AbortSignal): Promise<void> {
    const details: FailureDetails = { endpoint: this.id, op: 'connect' };
    if (this.current === 'closed') throw closedError(details);
    if (this.session && this.current === 'ready') return;
    if (signal?.aborted) throw cancelledError(`${this.id}: connect cancelled by the caller`, details);
    let p = this.connecting;
    if (!p) {
      const old = this.session;
      this.session = undefined;
      if (old) this.track(this.disposeSession(old, true));
      this.beforeExplicitConnect();
      p = this.startConnect('explicit');
    }
    try {
      await (signal ? raceSignal(p, signal) : p);
    } catch (e) {
      if (signal?.aborted) throw cancelledError(`${this.id}: connect cancelled by the caller`, details, e);
      throw e;
    }
  }

  callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    options: CallToolOptions,
  ): Promise<CallToolResult> {
    const session = this.directSession(options);
    if (session !== undefined)
      return this.relay.track(options, (this.direct as DirectPath<S>).callTool(session, name, args, options));
    return this.relay.track(
      options,
      this.send('tools/call', options, options.idempotent ?? false, (exec) =>
        exec((rpc, ro) => rpc.callTool(name, args, ro, options)),
      ),
    );
  }

  async ping(options: RequestTimeoutOptions): Promise<void> {
    const session = this.directSession(options);
    if (session !== undefined) await (this.direct as DirectPath<S>).ping(session, options);
    else await this.send('ping', options, true, (exec) => exec((rpc, ro) => rpc.probe(ro)));
  }

  listTools(options: RequestTimeoutOptions): Promise<Tool[]> {
    return this.send('tools/list', options, true, async (exec) => {
      const tools: Tool[] = [];
      const cursors = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = await exec((rpc, ro) => rpc.listTools(cursor, ro));
        tools.push(...page.tools);
        cursor = page.nextCursor;
        const problem = listingProblem(cursors, cursor, tools.length);
        if (problem !== undefined)
          throw new ChaosError('PROTOCOL_ERROR', `${this.id}: tools/list ${problem}`, {
            details: { failureClass: 'protocol', endpoint: this.id, op: 'tools/list' },
          });
        if (cursor !== undefined) cursors.add(cursor);
      } while (cursor !== undefined);
      return tools;
    });
  }

  request(
    method: string,
    params: Record<string, unknown> | undefined,
    options: ForwardOptions,
  ): Promise<Record<string, unknown>> {
    return this.send(method, options, false, (exec) =>
      exec((rpc, ro) => rpc.request(method, params, ro, options.onProgress)),
    );
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const wasUp = this.session !== undefined || this.connecting !== undefined;
      this.current = 'closed';
      for (const call of this.liveCalls) call.end(new ScopeEnd('closed', 'connection closed'));
      const session = this.session;
      this.session = undefined;
      await this.connecting?.catch(noop);
      if (session) await this.disposeSession(session, true).catch(noop);
      while (this.background.size > 0) await Promise.allSettled([...this.background]);
      await this.afterClose();
      if (wasUp) this.emit('disconnected', 'closed');
    })();
    return this.closing;
  }

  // ------------------------------------------------------------------------------------------------

  protected emit(
    kind: ConnectionEvent['kind'],
    detail?: string,
    extra?: Pick<ConnectionEvent, 'dropped' | 'crashLoop' | 'era'>,
  ): void {
    const listener = this.opts.onEvent;
    if (!listener) return;
    const e: ConnectionEvent = { type: 'connection', t: this.clock.now(), endpoint: this.id, kind };
    if (detail !== undefined) e.detail = detail;
    if (extra !== undefined) Object.assign(e, extra);
    try {
      listener(e);
    } catch {
      // a listener's failure must not break the connection
    }
  }

  /**
   * The guard of a new session's inbound messages (inbound-guard.ts: server requests and notifications
   * bounded); what it drops becomes an `inbound-dropped` event.
   */
  protected newInboundGuard(): InboundGuard {
    return new InboundGuard(this.clock, DEFAULT_INBOUND_LIMITS, (d) => {
      if (this.current === 'closed') return;
      const detail = `dropped ${d.requests} server requests and ${d.notifications} notifications; coalesced ${d.coalesced} list_changed`;
      this.emit('inbound-dropped', detail, { dropped: d });
    });
  }

  /**
   * Reports the server's `notifications/tools/list_changed` on `session` as a `tools-changed` event.
   * Subclasses call this on every new session's client (before it connects).
   */
  protected watchToolList(client: Client, label: () => string): void {
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      if (this.current !== 'closed') this.emit('tools-changed', label());
    });
  }

  protected setState(next: ConnectionState, event?: ConnectionEvent['kind'], detail?: string): void {
    if (this.current === 'closed') return;
    this.current = next;
    if (event) this.emit(event, detail);
  }

  /** Keeps background work (disposals, stream reopens) so close() can wait for it. */
  protected track(p: Promise<unknown>): void {
    const q = p.catch(noop).finally(() => this.background.delete(q));
    this.background.add(q);
  }

  /** Marks the connection broken after a connection-class failure of a request. */
  protected markBroken(detail: string): void {
    if (this.current === 'ready') this.setState('broken', 'disconnected', detail);
  }

  /** Runs `fn` under a connect deadline of its own (a second child start gets a whole budget). */
  protected async withConnectScope<T>(fn: (call: CallScope) => Promise<T>): Promise<T> {
    const call = new CallScope(this.clock, this.connectLimitMs());
    this.liveCalls.add(call);
    try {
      return await fn(call);
    } finally {
      call.dispose();
      this.liveCalls.delete(call);
    }
  }

  /** The limit of the next connect: the first one's (spawn + handshake of a cold start) or a reconnect's. */
  private connectLimitMs(): number {
    return this.connectedOnce ? this.opts.connectTimeoutMs : this.opts.firstConnectTimeoutMs;
  }

  /** A connect that hit its limit, said as such: which limit, and what the server printed meanwhile. */
  private connectTimedOut(err: ChaosError, call: CallScope): ChaosError {
    const first = !this.connectedOnce;
    const what = first
      ? `the first connect did not finish within ${call.timeoutMs} ms (connectTimeout)`
      : `a reconnect did not finish within ${call.timeoutMs} ms`;
    const output = this.startOutput();
    return failureError(
      'timeout',
      `${this.id}: ${what}${output ? `; the server's last output: ${output}` : ''}`,
      { endpoint: this.id, op: 'connect', timeoutMs: call.timeoutMs, first },
      err,
    );
  }

  /** What the server printed while it was starting (stdio: its stderr tail), or ''. */
  protected startOutput(): string {
    return '';
  }

  /** Starts (or joins) the single in-flight connect. */
  protected startConnect(reason: ConnectReason): Promise<S> {
    if (this.connecting) return this.connecting;
    this.setState('connecting');
    const call = new CallScope(this.clock, this.connectLimitMs());
    this.liveCalls.add(call);
    const details: FailureDetails = { endpoint: this.id, op: 'connect', reason };
    const p = (async () => {
      try {
        const session = await this.openSession(call);
        if (this.current === 'closed') {
          await this.disposeSession(session, true).catch(noop);
          throw closedError(details);
        }
        this.session = session;
        this.lastConnectError = undefined;
        this.connectedOnce = true;
        const kind =
          reason === 'recovery'
            ? 'session-recovered'
            : reason === 'restart'
              ? 'process-restart'
              : 'connected';
        this.setState('ready', kind, session.label());
        return session;
      } catch (e) {
        const normalized = this.normalize(e, call, details);
        const err = call.ended?.kind === 'timeout' ? this.connectTimedOut(normalized, call) : normalized;
        this.lastConnectError = err;
        if (this.current !== 'closed') {
          this.failures++;
          this.retryAt = this.clock.now() + backoffDelay(this.failures, this.opts.reconnectBackoff);
          this.setState('broken', 'disconnected', err.message);
          this.onConnectFailed(reason);
        }
        throw err;
      } finally {
        call.dispose();
        this.liveCalls.delete(call);
        this.connecting = undefined;
      }
    })();
    p.catch(noop);
    this.connecting = p;
    return p;
  }

  /** The session to send on directly, or undefined when the scoped path must be taken. */
  private directSession(options: RequestTimeoutOptions): S | undefined {
    const session = this.session;
    if (this.direct === undefined || session === undefined || this.current === 'closed') return undefined;
    return this.direct.accepts(options) ? session : undefined;
  }

  private async send<T>(
    op: string,
    options: RequestTimeoutOptions,
    idempotent: boolean,
    body: (exec: Exec) => Promise<T>,
  ): Promise<T> {
    const timeoutMs = options?.timeoutMs;
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new RangeError(`${op}: timeoutMs must be a number > 0, got ${JSON.stringify(timeoutMs)}`);
    }
    const details: FailureDetails = { endpoint: this.id, op };
    if (this.current === 'closed') throw closedError(details);
    if (options.signal?.aborted) throw cancelledError(`${this.id}: ${op} cancelled by the caller`, details);
    const call = new CallScope(this.clock, timeoutMs, options.signal);
    this.liveCalls.add(call);
    try {
      let session = await this.acquire(call, details);
      for (let replayed = false; ; replayed = true) {
        try {
          const result = await body((fn) => this.exec(session, call, details, fn));
          this.requestSucceeded(session);
          return result;
        } catch (e) {
          // A request still pending when recovery closed its (lost) session fails with that session too.
          if (call.ended || !(this.isSessionGone(e, session) || this.lostSessions.has(session))) throw e;
          const recovery = this.recoverSession(session, e);
          if ((!idempotent && !this.refusedUnexecuted(e, session)) || replayed) {
            const why = idempotent ? 'lost again after a replay' : 'not replayed (not idempotent)';
            throw failureError(
              'session-lost',
              `${this.id}: ${op}: the server lost our session; ${why}`,
              details,
              e,
            );
          }
          try {
            session = await call.race(recovery);
          } catch (re) {
            if (call.ended) throw re;
            const msg = `${this.id}: ${op}: the server lost our session and recovery failed: ${errorMessage(re)}`;
            throw failureError('session-lost', msg, details, re);
          }
        }
      }
    } catch (e) {
      throw this.normalize(e, call, details);
    } finally {
      call.dispose();
      this.liveCalls.delete(call);
    }
  }

  private async acquire(call: CallScope, details: FailureDetails): Promise<S> {
    for (;;) {
      if (this.current === 'closed') throw closedError(details);
      if (this.session) return this.session;
      if (this.connecting) {
        try {
          return await call.race(this.connecting);
        } catch (e) {
          throw call.ended || call.failure ? e : connectFailure(e, this.id, details);
        }
      }
      const blocked = this.lazyConnectBlocked();
      if (blocked) {
        // The reason it is not connected, when a connect failed: its failure, not a bare "not connected".
        const last = this.lastConnectError;
        if (last) throw connectFailure(last, this.id, details, blocked);
        throw failureError('connection', `${this.id}: ${details.op}: not connected: ${blocked}`, details);
      }
      this.startConnect('lazy');
    }
  }

  private exec<R>(
    session: S,
    call: CallScope,
    details: FailureDetails,
    fn: (rpc: SessionRpc, options: RpcOptions) => Promise<R>,
  ): Promise<R> {
    const scope = new RequestScope(call, (cause) =>
      failureError(
        'connection',
        `${this.id}: ${details.op}: the response stream ended before the answer`,
        details,
        cause,
      ),
    );
    return this.sendScoped(session, scope, (tag) =>
      scope.run((signal) => {
        const timeout = call.remainingMs() + SDK_TIMEOUT_MARGIN_MS;
        return fn(
          session.rpc,
          tag === undefined ? { signal, timeout } : { signal, timeout, headers: { [SCOPE_TAG_HEADER]: tag } },
        );
      }),
    );
  }

  protected requestSucceeded(session: S): void {
    if (session !== this.session) return;
    this.failures = 0;
    if (this.current === 'broken') this.setState('ready', 'connected', 'requests succeed again');
    this.onRequestSuccess(session);
  }

  /** Drops `old` (the server lost it) and re-initializes; single-flight. */
  private recoverSession(old: S, cause: unknown): Promise<S> {
    if (this.session && this.session !== old) return Promise.resolve(this.session);
    if (this.connecting) return this.connecting;
    if (this.session === old) {
      this.session = undefined;
      this.lostSessions.add(old);
      const status = httpStatusOf(cause);
      this.emit('session-lost', `${status === undefined ? '' : `HTTP ${status}; `}session ${old.label()}`);
      this.track(this.disposeSession(old, true));
    }
    return this.startConnect('recovery');
  }

  /** Turns any failure of `call` into a classified ChaosError; a connection failure marks us broken. */
  protected normalize(e: unknown, call: FailureContext, details: FailureDetails): ChaosError {
    const err = normalizeFailure(this.explainFailure(e), call, details, this.current === 'closed');
    if (err.details.failureClass === 'connection' && !err.details.closed) this.markBroken(err.message);
    return err;
  }
}
