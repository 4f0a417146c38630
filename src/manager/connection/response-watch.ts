/**
 * What the HTTP fetch watches on the answer to one request of a call (bounded-fetch.ts wires it in):
 * - **idle**: with `idleTimeoutMs`, a request whose answer brings no byte for that long — from the moment it
 *   is sent, reset by the headers and by every body chunk — fails the request as `stream-idle` (Envoy's
 *   `per_try_idle_timeout`; it catches a half-open connection or a stalled stream long before the deadline);
 * - **back-pressure**: a 429, or a 503 with `Retry-After`, fails the request as `overloaded`, carrying the
 *   status and the wait the server asked for (`retryAfterMs`, capped) for the pipeline to honour.
 * Timers run on the injected clock.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';
import { type ChaosError, MAX_SERVER_TEXT } from '../../core/errors.js';
import { failureError } from './classify-error.js';

/** The longest Retry-After honoured (a server cannot keep an endpoint away longer than this). */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The wait a `Retry-After` value asks for, in ms: delay-seconds, or an HTTP-date relative to the answer's
 * own `Date` header (never our clock). Undefined when absent or unreadable; capped at MAX_RETRY_AFTER_MS.
 */
export function parseRetryAfter(value: string | null, date: string | null): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  let ms: number | undefined;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else if (date !== null) {
    const at = Date.parse(v);
    const now = Date.parse(date);
    if (Number.isFinite(at) && Number.isFinite(now)) ms = Math.max(0, at - now);
  }
  return ms === undefined ? undefined : Math.min(ms, MAX_RETRY_AFTER_MS);
}

/** The `overloaded` failure of an answer (429, or 503 with Retry-After), else undefined. */
export function overloadedFailure(
  res: Response,
  endpoint: string,
  opOf: () => string,
): ChaosError | undefined {
  if (res.status !== 429 && res.status !== 503) return undefined;
  const op = opOf();
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), res.headers.get('date'));
  if (res.status === 503 && retryAfterMs === undefined) return undefined; // a plain 5xx
  const wait = retryAfterMs === undefined ? '' : `, retry after ${retryAfterMs} ms`;
  return failureError(
    'overloaded',
    `${endpoint}: ${op}: HTTP ${res.status} (the server is overloaded${wait})`,
    {
      endpoint,
      op,
      status: res.status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    },
  );
}

/** The `protocol` failure of an answer whose body is JSON under `content-type: text/event-stream`. */
export function notSseFailure(endpoint: string, op: string): ChaosError {
  return failureError(
    'protocol',
    `${endpoint}: ${op}: the answer says text/event-stream but its body is JSON (wrong content-type)`,
    { endpoint, op },
  );
}

/** The `protocol` failure of a request whose answer, read whole, did not carry its id (or had no body). */
export function noAnswerFailure(endpoint: string, op: string): ChaosError {
  return failureError(
    'protocol',
    `${endpoint}: ${op}: the server's answer did not carry the request's id (or it sent none)`,
    { endpoint, op },
  );
}

/** An idle timer for one request: `touch()` on every byte; `onIdle` runs once if none comes in time. */
export class IdleTimer {
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
    private readonly onIdle: () => void,
  ) {
    this.arm();
  }

  /** Something arrived: the silence starts again. */
  touch(): void {
    if (this.stopped) return;
    this.clock.clearTimeout(this.timer);
    this.arm();
  }

  /** The answer is complete (or the request ended otherwise): no more idling. */
  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.stopped = true;
      this.onIdle();
    }, this.idleMs);
  }
}

/** The `stream-idle` failure of a request silent for `idleMs`. */
export function idleFailure(endpoint: string, op: string, idleMs: number): ChaosError {
  return failureError(
    'stream-idle',
    `${endpoint}: ${op}: no byte of the answer for ${idleMs} ms (idleTimeout)`,
    {
      endpoint,
      op,
      idleTimeoutMs: idleMs,
    },
  );
}

/**
 * A Response whose body touches `idle` on every chunk and stops it at the end (or on an error or cancel).
 * Without a body the timer is stopped at once.
 */
export function watchIdle(response: Response, idle: IdleTimer): Response {
  const body = response.body;
  if (!body) {
    idle.stop();
    return response;
  }
  const reader = body.getReader();
  const stream = new ReadableStream<Uint8Array>({
    async pull(ctl) {
      try {
        const r = await reader.read();
        if (r.done) {
          idle.stop();
          ctl.close();
        } else {
          idle.touch();
          ctl.enqueue(r.value);
        }
      } catch (e) {
        idle.stop();
        ctl.error(e);
      }
    },
    cancel(reason) {
      idle.stop();
      return reader.cancel(reason);
    },
  });
  return new Response(stream, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * A failed answer (status ≥ 400) with its body cut to MAX_SERVER_TEXT bytes; the rest is never read, so an
 * error page cannot grow memory or an error message.
 */
export async function boundedErrorBody(res: Response): Promise<Response> {
  if (res.ok || !res.body) return res;
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  let more = false;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      parts.push(r.value);
      size += r.value.byteLength;
      if (size > MAX_SERVER_TEXT) {
        more = true;
        break;
      }
    }
  } finally {
    if (more) void reader.cancel().catch(() => {});
  }
  const all = new Uint8Array(Math.min(size, MAX_SERVER_TEXT));
  let at = 0;
  for (const p of parts) {
    const take = Math.min(p.byteLength, all.byteLength - at);
    all.set(p.subarray(0, take), at);
    at += take;
    if (at >= all.byteLength) break;
  }
  const text = new TextDecoder().decode(all) + (more ? '… (cut)' : '');
  return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/**
 * Counts the bytes of an answer's body as it streams; past `maxBytes` it calls `onTooLarge` once and
 * errors the body (nothing more is read). An answer declaring a larger Content-Length fails at once.
 */
export function limitBody(res: Response, maxBytes: number, onTooLarge: () => void): Response {
  const body = res.body;
  if (!body) return res;
  const length = res.headers.get('content-length');
  const declared = length === null ? Number.NaN : Number(length);
  // A declared length within the limit bounds the body already (the HTTP client enforces it): no wrapper.
  if (Number.isFinite(declared) && declared <= maxBytes) return res;
  const reader = body.getReader();
  let seen = 0;
  const tooLarge = () => new Error(`response larger than ${maxBytes} bytes`);
  const stream = new ReadableStream<Uint8Array>({
    start(ctl) {
      if (Number.isFinite(declared) && declared > maxBytes) {
        onTooLarge();
        ctl.error(tooLarge());
        void reader.cancel().catch(() => {});
      }
    },
    async pull(ctl) {
      try {
        const r = await reader.read();
        if (r.done) {
          ctl.close();
          return;
        }
        seen += r.value.byteLength;
        if (seen > maxBytes) {
          onTooLarge();
          ctl.error(tooLarge());
          void reader.cancel().catch(() => {});
          return;
        }
        ctl.enqueue(r.value);
      } catch (e) {
        ctl.error(e);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(stream, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/**
 * Reads a whole answer body of at most `maxBytes` and returns it as a new Response. Each chunk touches
 * `idle`; past `maxBytes` it calls `onTooLarge` once, stops reading and rejects (the call has failed by then).
 */
export async function bufferBody(
  res: Response,
  maxBytes: number,
  idle: IdleTimer | undefined,
  onTooLarge: () => void,
): Promise<Response> {
  const body = res.body;
  if (!body) return res;
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let seen = 0;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      idle?.touch();
      seen += r.value.byteLength;
      if (seen > maxBytes) {
        onTooLarge();
        void reader.cancel().catch(() => {});
        throw new Error(`response larger than ${maxBytes} bytes`);
      }
      parts.push(r.value);
    }
  } finally {
    idle?.stop();
  }
  const bytes = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
  return new BufferedResponse(bytes, res.status, res.statusText, res.headers, res.url) as unknown as Response;
}

const utf8 = new TextDecoder();

/**
 * An answer read whole, offering what the SDKs' transports read of a JSON answer (status, headers,
 * `json()` / `text()`): a real `Response` built around the bytes would stream them once more (a third of
 * the connection's CPU per call on 2026-07-28, measured). Its body is consumed: `body` is null.
 */
class BufferedResponse {
  readonly body = null;
  readonly redirected = false;
  readonly type = 'basic';
  bodyUsed = false;

  constructor(
    private readonly bytes: Uint8Array,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly url: string,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return utf8.decode(this.bytes);
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    return this.bytes.slice().buffer as ArrayBuffer;
  }

  clone(): BufferedResponse {
    return new BufferedResponse(this.bytes, this.status, this.statusText, this.headers, this.url);
  }
}

/** The `response-too-large` failure of an answer past `maxBytes`. */
export function tooLargeFailure(endpoint: string, op: string, maxBytes: number): ChaosError {
  return failureError(
    'response-too-large',
    `${endpoint}: ${op}: the answer is larger than ${maxBytes} bytes (maxResponseBytes)`,
    { endpoint, op, maxResponseBytes: maxBytes },
  );
}
