/**
 * The undici dispatchers of one endpoint's HTTP sessions: a bounded pool for requests, one connection with
 * no body timeout for the long-lived notification stream (so it can never starve requests), and fresh
 * one-connection clients for a request re-sent after a stale keep-alive socket (stale-socket.ts).
 */
import { Agent, Client } from 'undici';
import { trackingConnector } from './stale-socket.js';

export interface HttpAgents {
  /** Requests (POST, DELETE): at most `maxSockets` connections, tracked for stale keep-alive deaths. */
  readonly requests: Agent;
  /** The GET notification stream: one connection, no body timeout. */
  readonly stream: Agent;
  /**
   * A one-connection client to `origin` for one retried request (a fresh socket, never a pooled one).
   * Hand it back with `release` once the response arrived: it closes when the body has been read.
   */
  fresh(origin: string): Client;
  release(client: Client): void;
  /** Requests re-sent on a fresh connection after a stale keep-alive socket (diagnostics and tests). */
  readonly staleRetries: number;
  /** Destroys both agents, every fresh client and every socket. */
  destroy(): Promise<void>;
}

export function createHttpAgents(maxSockets: number): HttpAgents {
  const requests = new Agent({ connections: maxSockets, connect: trackingConnector() });
  const stream = new Agent({ connections: 1, bodyTimeout: 0 });
  const fresh = new Set<Client>();
  let staleRetries = 0;
  return {
    requests,
    stream,
    fresh: (origin) => {
      staleRetries++;
      const c = new Client(origin, { pipelining: 1 });
      fresh.add(c);
      return c;
    },
    release: (c) => {
      c.close()
        .catch(() => {})
        .finally(() => fresh.delete(c));
    },
    get staleRetries() {
      return staleRetries;
    },
    destroy: async () => {
      const all = [requests.destroy(), stream.destroy(), ...[...fresh].map((c) => c.destroy())];
      fresh.clear();
      await Promise.all(all.map((p) => p.catch(() => {})));
    },
  };
}
