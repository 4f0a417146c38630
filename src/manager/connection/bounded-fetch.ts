/**
 * The `fetch` handed to the SDK's HTTP transports. Per endpoint, requests go through an undici
 * `Agent({connections: maxSockets})` (bounded sockets); the long-lived notification stream (GET, or
 * `subscriptions/listen`) has an Agent of its own (1 socket, no body timeout) so it can never starve
 * requests.
 * - POST of a request owned by a {@link RequestScope} (see `trackScopes`): its own signal = transport
 *   signal + the scope's signal (deadline / cancel / fail), so a deadline really aborts the HTTP request and
 *   closes its socket. An SSE response body is watched: if it ends before the request's answer was
 *   delivered, the scope fails (`connection`).
 * - Notifications (such as `cancelled`), DELETE, answers to server requests: a short own deadline
 *   (`auxTimeoutMs`). A request no scope owns keeps the transport's signal only.
 * - GET (notification stream): no deadline; open/closed/unsupported reported through `onStream`.
 * - POST `subscriptions/listen` (the 2026-07-28 notification stream): the stream agent, no deadline; a
 *   stream silent for `listenIdleMs` (not even a keepalive comment) is aborted, and listen-watch.ts
 *   reopens it.
 * - A POST or DELETE that died on a stale keep-alive socket before a byte of its answer (the server had
 *   closed that pooled socket, e.g. it restarted; see stale-socket.ts) is sent once more, on a fresh
 *   connection of its own; if that fails too, the original error stands.
 */
import type { FetchLike, Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type Agent, fetch as undiciFetch } from 'undici';
import type { Clock } from '../../core/clock.js';
import type { ChaosError } from '../../core/errors.js';
import type { HttpAgents } from './http-agents.js';
import { SCOPE_TAG_HEADER, type ScopeRegistry } from './request-scope.js';
import {
  boundedErrorBody,
  bufferBody,
  IdleTimer,
  idleFailure,
  limitBody,
  notSseFailure,
  overloadedFailure,
  tooLargeFailure,
  watchIdle,
} from './response-watch.js';
import { looksLikeJson, methodOf, requestIdOf } from './rpc-body.js';
import { type PendingResume, SseFields, StreamResumes } from './sse-resume.js';
import { diedOnStaleSocket } from './stale-socket.js';
import { watchBody } from './watch-body.js';

export type StreamEvent = 'open' | 'closed' | 'unsupported';

export interface SessionFetchOptions {
  agents: HttpAgents;
  clock: Clock;
  /** Deadline of requests outside a request scope (ms). */
  auxTimeoutMs: number;
  /** State changes of the GET notification stream. */
  onStream: (event: StreamEvent) => void;
  /** Which scope owns which request id (filled by `trackScopes`). */
  registry: ScopeRegistry;
  /** The endpoint's id (for the errors of the watched answers). */
  endpoint: string;
  /** A request of a call whose answer brings no byte for this long fails as `stream-idle`. */
  idleTimeoutMs?: number;
  /** A request of a call whose answer passes this many bytes fails as `response-too-large`. */
  maxResponseBytes?: number;
  /** A `subscriptions/listen` stream silent this long is dropped (listen-watch.ts reopens it). */
  listenIdleMs: number;
  /**
   * 2025 Streamable HTTP: resumes a request's SSE stream the server ended after an event id (SEP-1699;
   * sse-resume.ts) — the transport's `resumeStream`. Absent: a stream that ends before its answer fails.
   */
  resume?: (lastEventId: string) => Promise<void>;
}

type Init = Omit<RequestInit, 'dispatcher'> & { dispatcher?: Agent };

/** Builds the fetch of one session (one transport). */
export function createSessionFetch(o: SessionFetchOptions): FetchLike {
  const resumes = o.resume ? new StreamResumes(o.clock, o.resume) : undefined;
  const doFetch = undiciFetch as unknown as (url: string | URL, init: Init) => Promise<Response>;

  /** A request through the bounded agent, sent once more on a fresh connection after a stale socket. */
  const requestFetch = async (url: string | URL, init: RequestInit): Promise<Response> => {
    try {
      return await doFetch(url, { ...init, dispatcher: o.agents.requests });
    } catch (e) {
      if (!diedOnStaleSocket(e) || init.signal?.aborted) throw e;
      const client = o.agents.fresh(new URL(url).origin);
      try {
        return await doFetch(url, { ...init, dispatcher: client as unknown as Agent });
      } catch {
        throw e; // unknown whether the first one was read: its error, not e.g. a refusal, stands
      } finally {
        o.agents.release(client);
      }
    }
  };

  const streamFetch = async (url: string | URL, init: RequestInit): Promise<Response> => {
    let res: Response;
    try {
      res = await doFetch(url, { ...init, dispatcher: o.agents.stream });
    } catch (e) {
      o.onStream('closed');
      throw e;
    }
    if (res.status === 405) o.onStream('unsupported');
    else if (!res.ok || !res.body) o.onStream('closed');
    else {
      o.onStream('open');
      return watchBody(res, () => o.onStream('closed'));
    }
    return res;
  };

  /** The 2026-07-28 notification stream: the stream agent, no deadline, dropped when silent too long. */
  const listenFetch = async (url: string | URL, init: RequestInit): Promise<Response> => {
    const ctl = new AbortController();
    const signal = init.signal ? AbortSignal.any([init.signal, ctl.signal]) : ctl.signal;
    const idleMs = o.listenIdleMs;
    const idle = new IdleTimer(o.clock, idleMs, () =>
      ctl.abort(new Error(`${o.endpoint}: subscriptions/listen: silent for ${idleMs} ms (listenIdleMs)`)),
    );
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal, dispatcher: o.agents.stream });
    } catch (e) {
      idle.stop();
      throw e;
    }
    idle.touch();
    if (!res.ok || !res.body) {
      idle.stop();
      return boundedErrorBody(res);
    }
    return watchIdle(res, idle);
  };

  const auxFetch = async (url: string | URL, init: RequestInit): Promise<Response> => {
    const ctl = new AbortController();
    const timer = o.clock.setTimeout(
      () => ctl.abort(new Error(`side request timed out after ${o.auxTimeoutMs} ms`)),
      o.auxTimeoutMs,
    );
    const signal = init.signal ? AbortSignal.any([init.signal, ctl.signal]) : ctl.signal;
    let res: Response;
    try {
      res = await requestFetch(url, { ...init, signal });
    } catch (e) {
      o.clock.clearTimeout(timer);
      throw e;
    }
    return watchBody(await boundedErrorBody(res), () => o.clock.clearTimeout(timer));
  };

  /**
   * The GET resuming request `p.id`'s stream (sse-resume.ts): the request agent (a resumed stream is part of
   * a request, never the notification stream's one connection), the request's deadline, its size and idle
   * limits; closed once the request settles, and resumed again if it too ends without the answer.
   */
  const resumeFetch = async (url: string | URL, init: RequestInit, p: PendingResume): Promise<Response> => {
    const { scope, id } = p;
    const ctl = new AbortController();
    scope.whenSettled(() => ctl.abort(new Error('the request has settled')));
    const signal = AbortSignal.any(
      init.signal ? [init.signal, scope.signal, ctl.signal] : [scope.signal, ctl.signal],
    );
    let res = await requestFetch(url, { ...init, signal });
    if (!res.ok || !res.body) {
      scope.lost(new Error(`resuming the stream after event ${p.lastEventId}: HTTP ${res.status}`));
      return boundedErrorBody(res);
    }
    const max = o.maxResponseBytes;
    if (max !== undefined)
      res = limitBody(res, max, () => scope.fail(tooLargeFailure(o.endpoint, 'resumed stream', max)));
    const idleMs = o.idleTimeoutMs;
    if (idleMs !== undefined)
      res = watchIdle(
        res,
        new IdleTimer(o.clock, idleMs, () => scope.fail(idleFailure(o.endpoint, 'resumed stream', idleMs))),
      );
    // no new event on it: the next resumption starts from the same event again
    const fields = new SseFields(p);
    return watchBody(
      res,
      (error) => scope.streamEnded(id, error, () => resumes?.after(id, scope, fields, p.attempts) ?? false),
      (chunk) => fields.scan(chunk),
    );
  };

  return async (url, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    if (method === 'GET') {
      const lastEventId = resumes ? new Headers(init.headers).get('last-event-id') : null;
      const p = lastEventId === null ? undefined : resumes?.take(lastEventId);
      return p ? resumeFetch(url, init, p) : streamFetch(url, init);
    }
    const id = method === 'POST' ? requestIdOf(init.body) : undefined;
    if (id === undefined) return auxFetch(url, init);
    const scope = o.registry.get(id);
    if (!scope?.live) {
      return methodOf(init.body) === 'subscriptions/listen'
        ? listenFetch(url, init)
        : requestFetch(url, init);
    }
    const signal = init.signal ? AbortSignal.any([init.signal, scope.signal]) : scope.signal;
    // The method, for error texts only: looked up when a failure needs it, not on every request.
    const op = () => methodOf(init.body);
    const idleMs = o.idleTimeoutMs;
    const idle =
      idleMs === undefined
        ? undefined
        : new IdleTimer(o.clock, idleMs, () => scope.fail(idleFailure(o.endpoint, op(), idleMs)));
    let res: Response;
    try {
      res = await requestFetch(url, { ...init, signal });
    } catch (e) {
      idle?.stop();
      throw e;
    }
    idle?.touch();
    const overloaded = overloadedFailure(res, o.endpoint, op);
    if (overloaded) {
      idle?.stop();
      scope.fail(overloaded);
      return boundedErrorBody(res);
    }
    if (!res.ok) {
      idle?.stop();
      return boundedErrorBody(res);
    }
    const max = o.maxResponseBytes;
    const type = res.headers.get('content-type') ?? '';
    if (
      max !== undefined &&
      type.includes('application/json') &&
      res.headers.get('content-length') === null
    ) {
      // A chunked JSON answer (the v2 SDK's servers send them so): read here, bounded, into one Response —
      // cheaper than a wrapper stream the SDK then reads through.
      return bufferBody(res, max, idle, () => scope.fail(tooLargeFailure(o.endpoint, op(), max)));
    }
    if (max !== undefined)
      res = limitBody(res, max, () => scope.fail(tooLargeFailure(o.endpoint, op(), max)));
    if (idle) res = watchIdle(res, idle);
    if (res.ok && res.body && type.includes('text/event-stream')) {
      scope.expect(id);
      const fields = resumes ? new SseFields() : undefined;
      let first = true;
      return watchBody(
        res,
        (error) =>
          scope.streamEnded(id, error, fields && (() => resumes?.after(id, scope, fields, 0) ?? false)),
        (chunk) => {
          // A JSON body under an SSE content-type would end as "stream ended before the answer": say so.
          if (first && looksLikeJson(chunk)) scope.fail(notSseFailure(o.endpoint, op()));
          first = false;
          fields?.scan(chunk);
        },
      );
    }
    return res;
  };
}

/**
 * Wraps `transport` so the registry learns the id of every request it sends and every answer it
 * delivers. With `noAnswer` (Streamable HTTP, where a request's answer comes in its own response), a
 * request whose response was read whole without its answer fails at once with that error. Install before
 * `client.connect(transport)` (the SDK chains a pre-set `onmessage`).
 */
export function trackScopes(
  transport: Transport,
  registry: ScopeRegistry,
  noAnswer?: (op: string) => ChaosError,
): void {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    const m = message as { id?: unknown; method?: unknown };
    if (typeof m.method !== 'string' || !(typeof m.id === 'number' || typeof m.id === 'string'))
      return send(message, options);
    const id = m.id;
    const method = m.method;
    const headers = (options as { headers?: Record<string, string> } | undefined)?.headers;
    const tag = headers?.[SCOPE_TAG_HEADER];
    if (tag !== undefined) {
      const { [SCOPE_TAG_HEADER]: _tag, ...rest } = headers as Record<string, string>;
      options = { ...options, headers: rest } as typeof options;
    }
    registry.sent(id, tag);
    const p = send(message, options);
    // The connect-time handshakes are left to the connect's deadline: the v2 client reads its era probe
    // (`server/discover`) before the Protocol (and this hook) sees messages.
    if (noAnswer === undefined || method === 'server/discover' || method === 'initialize') return p;
    // Sent and (unless it streams) read: an answer that did not carry the id fails at once.
    p.then(
      () => registry.get(id)?.sendSettled(id, () => noAnswer(method)),
      () => {},
    );
    return p;
  };
  transport.onmessage = (message) => {
    const m = message as { id?: unknown; method?: unknown };
    if (m.method === undefined && (typeof m.id === 'number' || typeof m.id === 'string')) {
      registry.get(m.id)?.answered(m.id);
    }
  };
}

/** `f` sending `extra` headers with every request (those the request sets itself win). */
export function withHeaders(f: FetchLike, extra: Readonly<Record<string, string>>): FetchLike {
  return (url, init) => {
    const h = new Headers(init?.headers);
    for (const [k, v] of Object.entries(extra)) if (!h.has(k)) h.set(k, v);
    return f(url, { ...init, headers: Object.fromEntries(h.entries()) });
  };
}
