/**
 * The `fetch` handed to the SDK's HTTP transports. Per endpoint, requests go through an undici
 * `Agent({connections: maxSockets})` (bounded sockets); the long-lived GET notification stream has an
 * Agent of its own (1 socket, no body timeout) so it can never starve requests.
 * - POST of a request running in a {@link RequestScope}: its own signal = transport signal + the scope's
 *   signal (deadline / cancel / fail), so a deadline really aborts the HTTP request and closes its socket.
 *   An SSE response body is watched: if it ends before the request's answer was delivered (the
 *   transport's `onmessage` reports answers to the scope, see `watchAnswers`), the scope fails (`connection`).
 * - Anything else (notifications such as `cancelled`, DELETE, answers to server requests): a short own
 *   deadline (`auxTimeoutMs`).
 * - GET (notification stream): no deadline; open/closed/unsupported reported through `onStream`.
 */
import type { FetchLike, Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { Agent, fetch as undiciFetch } from 'undici';
import type { Clock } from '../../core/clock.js';
import { currentRequestScope } from './request-scope.js';

export type StreamEvent = 'open' | 'closed' | 'unsupported';

export interface HttpAgents {
  /** Requests (POST, DELETE): at most `maxSockets` connections. */
  readonly requests: Agent;
  /** The GET notification stream: one connection, no body timeout. */
  readonly stream: Agent;
  /** Destroys both agents and every socket. */
  destroy(): Promise<void>;
}

export function createHttpAgents(maxSockets: number): HttpAgents {
  const requests = new Agent({ connections: maxSockets });
  const stream = new Agent({ connections: 1, bodyTimeout: 0 });
  return {
    requests,
    stream,
    destroy: async () => {
      await Promise.all([requests.destroy().catch(() => {}), stream.destroy().catch(() => {})]);
    },
  };
}

export interface SessionFetchOptions {
  agents: HttpAgents;
  clock: Clock;
  /** Deadline of requests outside a request scope (ms). */
  auxTimeoutMs: number;
  /** State changes of the GET notification stream. */
  onStream: (event: StreamEvent) => void;
}

type Init = Omit<RequestInit, 'dispatcher'> & { dispatcher?: Agent };

/** Builds the fetch of one session (one transport). */
export function createSessionFetch(o: SessionFetchOptions): FetchLike {
  const doFetch = undiciFetch as unknown as (url: string | URL, init: Init) => Promise<Response>;

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

  const auxFetch = async (url: string | URL, init: RequestInit): Promise<Response> => {
    const ctl = new AbortController();
    const timer = o.clock.setTimeout(
      () => ctl.abort(new Error(`side request timed out after ${o.auxTimeoutMs} ms`)),
      o.auxTimeoutMs,
    );
    const signal = init.signal ? AbortSignal.any([init.signal, ctl.signal]) : ctl.signal;
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal, dispatcher: o.agents.requests });
    } catch (e) {
      o.clock.clearTimeout(timer);
      throw e;
    }
    return watchBody(res, () => o.clock.clearTimeout(timer));
  };

  return async (url, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    if (method === 'GET') return streamFetch(url, init);
    const scope = currentRequestScope();
    if (!scope?.live || method !== 'POST' || isNotification(init.body)) return auxFetch(url, init);
    const signal = init.signal ? AbortSignal.any([init.signal, scope.signal]) : scope.signal;
    const res = await doFetch(url, { ...init, signal, dispatcher: o.agents.requests });
    const id = requestIdOf(init.body);
    if (
      id !== undefined &&
      res.ok &&
      res.body &&
      (res.headers.get('content-type') ?? '').includes('text/event-stream')
    ) {
      scope.expect(id);
      return watchBody(res, (error) => scope.streamEnded(id, error));
    }
    return res;
  };
}

/**
 * Makes `transport` report every answer it delivers to the request scope it runs in. Install before
 * `client.connect(transport)` (the SDK chains a pre-set `onmessage`).
 */
export function watchAnswers(transport: Transport): void {
  transport.onmessage = (message) => {
    const m = message as { id?: unknown; method?: unknown };
    if (m.method === undefined && (typeof m.id === 'number' || typeof m.id === 'string')) {
      currentRequestScope()?.answered(m.id);
    }
  };
}

/** Whether a JSON-RPC body is a notification (method, no id). */
function isNotification(body: unknown): boolean {
  if (typeof body !== 'string' || !body.includes('"method":"notifications/')) return false;
  try {
    const m = JSON.parse(body) as { method?: unknown; id?: unknown };
    return typeof m.method === 'string' && m.id === undefined;
  } catch {
    return false;
  }
}

/** The id of a JSON-RPC request body (the SDK serializes `{...request, jsonrpc, id}`: id comes last). */
function requestIdOf(body: unknown): string | number | undefined {
  if (typeof body !== 'string') return undefined;
  const m = /"id":(\d+|"(?:[^"\\]|\\.)*")\}$/.exec(body);
  if (m?.[1] !== undefined) return m[1].startsWith('"') ? (JSON.parse(m[1]) as string) : Number(m[1]);
  try {
    const parsed = JSON.parse(body) as { id?: unknown; method?: unknown };
    return typeof parsed.method === 'string' &&
      (typeof parsed.id === 'number' || typeof parsed.id === 'string')
      ? parsed.id
      : undefined;
  } catch {
    return undefined;
  }
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Returns a Response whose body reports its end: `onDone()` once when it ends or is cancelled,
 * `onDone(error)` when reading it fails. A response without a body reports at once.
 */
export function watchBody(response: Response, onDone: (error?: unknown) => void): Response {
  const body = response.body;
  if (!body || NULL_BODY_STATUSES.has(response.status)) {
    onDone();
    return response;
  }
  const reader = body.getReader();
  let finished = false;
  const finish = (error?: unknown) => {
    if (finished) return;
    finished = true;
    onDone(error);
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(ctl) {
      try {
        const r = await reader.read();
        if (r.done) {
          finish();
          ctl.close();
        } else ctl.enqueue(r.value);
      } catch (e) {
        finish(e);
        ctl.error(e);
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  });
  return new Response(stream, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
