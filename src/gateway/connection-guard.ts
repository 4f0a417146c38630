/**
 * The gateway's sockets: every open one tracked (drain destroys what is left), at most
 * `connectionsPerAddress` from one remote address (more are closed at once, counted as refusals), and a
 * deadline on receiving a whole request — headers and body — so a client trickling bytes (1 byte/s) cannot
 * hold a connection open: Node answers 408 and closes it.
 */
import { createServer, type Server as HttpServer, type RequestListener } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  connectionsPerAddress: number;
  /** The whole request, headers and body (ms). */
  requestTimeoutMs: number;
}

/** An HTTP server for `handler` with these limits, and the set of its open sockets. */
export function createGuardedServer(
  handler: RequestListener,
  limits: ConnectionLimits,
  onRefused: (address: string) => void,
): { http: HttpServer; sockets: Set<Socket> } {
  const http = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.requestTimeoutMs, 10_000),
      // how often those deadlines are checked (Node's default, 30 s, would let a 10 s deadline run to 40)
      connectionsCheckingInterval: Math.min(1000, limits.requestTimeoutMs),
    },
    handler,
  );
  const sockets = new Set<Socket>();
  const perAddress = new Map<string, number>();
  http.on('connection', (s: Socket) => {
    const address = s.remoteAddress ?? '?';
    const n = perAddress.get(address) ?? 0;
    if (n >= limits.connectionsPerAddress) {
      onRefused(address);
      s.destroy();
      return;
    }
    perAddress.set(address, n + 1);
    sockets.add(s);
    s.once('close', () => {
      sockets.delete(s);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
  });
  return { http, sockets };
}
