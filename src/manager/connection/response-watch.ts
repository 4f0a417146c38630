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
import type { ChaosError } from '../../core/errors.js';
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
export function overloadedFailure(res: Response, endpoint: string, op: string): ChaosError | undefined {
  if (res.status !== 429 && res.status !== 503) return undefined;
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
