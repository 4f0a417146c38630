/**
 * Readiness: poll until a TCP port accepts, or until an MCP endpoint answers `initialize`, with growing
 * back-off between attempts (never a fixed sleep), giving up at a deadline or when the process died.
 */
import { connect } from 'node:net';
import type { Clock } from '../../core/clock.js';
import { ChaosError, errorMessage } from '../../core/errors.js';

export interface ReadyOptions {
  clock: Clock;
  /** Give up after this long (ms). */
  timeoutMs: number;
  /** Label for the error message, e.g. `weather[0]`. */
  label: string;
  signal?: AbortSignal;
  /** Returns a reason when waiting is pointless (the process exited); checked before each attempt. */
  gaveUp?: () => string | undefined;
  /** First back-off (default 10 ms); doubles up to `maxBackoffMs` (default 200 ms). */
  firstBackoffMs?: number;
  maxBackoffMs?: number;
}

/** Waits until `probe` resolves true, polling with back-off. Throws INFRASTRUCTURE at the deadline. */
export async function pollUntil(probe: () => Promise<boolean>, o: ReadyOptions): Promise<void> {
  const deadline = o.clock.now() + o.timeoutMs;
  let backoff = o.firstBackoffMs ?? 10;
  const maxBackoff = o.maxBackoffMs ?? 200;
  let lastError = 'no answer';
  for (;;) {
    if (o.signal?.aborted) throw o.signal.reason;
    const reason = o.gaveUp?.();
    if (reason) throw new ChaosError('INFRASTRUCTURE', `${o.label} never became ready: ${reason}`);
    try {
      if (await probe()) return;
    } catch (e) {
      lastError = errorMessage(e);
    }
    const left = deadline - o.clock.now();
    if (left <= 0) {
      throw new ChaosError(
        'INFRASTRUCTURE',
        `${o.label} not ready within ${Math.round(o.timeoutMs)}ms (last: ${lastError})`,
      );
    }
    await o.clock.sleep(Math.min(backoff, left), o.signal);
    backoff = Math.min(maxBackoff, backoff * 2);
  }
}

/** One TCP connect attempt; true if it connected within `timeoutMs`. */
export function tcpAccepts(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`connect to ${host}:${port} timed out`));
    });
    socket.once('error', (e) => {
      socket.destroy();
      reject(e);
    });
  });
}

/**
 * One MCP `initialize` over Streamable HTTP; true on a 2xx answer, or on the 400 with -32022 ("unsupported
 * protocol version") of a server that speaks 2026-07-28 only — it answered MCP, so it is up. Ends the
 * session it opened (DELETE with its session id) so a stateful server is left as it was.
 */
export async function mcpAnswers(
  url: string,
  timeoutMs = 1000,
  headers: Record<string, string> = {},
): Promise<boolean> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'mcp-chaos-ready-probe', version: '0' },
    },
  });
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const ok = res.status >= 200 && res.status < 300;
  if (res.status === 400) {
    const text = await res.text().catch(() => '');
    if (text.includes('-32022')) return true;
    throw new Error(`initialize answered HTTP 400: ${text.slice(0, 200)}`);
  }
  await res.body?.cancel().catch(() => undefined);
  const session = res.headers.get('mcp-session-id');
  if (ok && session) {
    await fetch(url, {
      method: 'DELETE',
      headers: { 'mcp-session-id': session, ...headers },
      signal: AbortSignal.timeout(timeoutMs),
    })
      .then((r) => r.body?.cancel())
      .catch(() => undefined);
  }
  if (!ok) throw new Error(`initialize answered HTTP ${res.status}`);
  return true;
}
