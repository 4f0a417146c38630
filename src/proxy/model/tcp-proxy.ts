import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Clock, Rng } from '../../core/index.js';
import type { ProxyLogger } from '../logger.js';
import { Connection } from '../net/connection.js';
import type { ByteCounters, Direction } from '../net/link.js';
import { formatAddress, type HostPort, resolveListen, resolveUpstream } from './address.js';
import { apiErrors } from './api-error.js';
import { listenErrorText } from './listen-error.js';
import { DIRECTIONS, type ToxicEntry, toxicJson } from './toxic-entry.js';

/** What every proxy shares with its server. */
export interface ProxyDeps {
  readonly clock: Clock;
  /** The server's seeded randomness; each link forks its own from it. */
  readonly rng: Rng;
  readonly logger: ProxyLogger;
}

/** The fields a client sets on a proxy. */
export interface ProxySettings {
  listen: string;
  upstream: string;
  enabled: boolean;
}

/**
 * One named TCP proxy: a listener on `listen` that dials `upstream` for each accepted client, and the
 * toxics of both directions, applied live to every open connection.
 */
export class TcpProxy {
  listen: string;
  upstream: string;
  enabled = false;
  /** Bytes received from the source / sent to the destination, per direction (for /metrics). */
  readonly counters: Readonly<Record<Direction, ByteCounters>> = {
    upstream: { received: 0, sent: 0 },
    downstream: { received: 0, sent: 0 },
  };
  private readonly toxics: Record<Direction, ToxicEntry[]> = { upstream: [], downstream: [] };
  private server: Server | undefined;
  private readonly connections = new Set<Connection>();
  /** Accepted clients whose upstream is still being dialled, with that dial. */
  private readonly dialing = new Map<Socket, Socket>();
  private acceptedCount = 0;
  /** `upstream` parsed, cached for the accept path. */
  private dialTarget: { address: string; target: HostPort } | undefined;

  constructor(
    readonly name: string,
    listen: string,
    upstream: string,
    private readonly deps: ProxyDeps,
  ) {
    this.listen = listen;
    this.upstream = upstream;
  }

  /** Binds the listener; `listen` becomes the bound address. Throws a 500 ToxiproxyApiError on failure. */
  async start(): Promise<void> {
    if (this.enabled) return;
    const target = resolveListen(this.listen);
    if (target.error !== undefined) throw apiErrors.internal(`listen tcp: ${target.error}`);
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true });
    server.on('connection', (client) => this.accept(server, client));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: target.host, port: target.port, exclusive: true }, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (e) {
      server.close();
      throw apiErrors.internal(listenErrorText(e, target.host, target.port));
    }
    server.on('error', (e) => this.deps.logger.warn({ proxy: this.name, err: e }, 'proxy listener error'));
    const bound = server.address();
    if (bound && typeof bound === 'object') this.listen = formatAddress(bound.address, bound.port);
    this.server = server;
    this.enabled = true;
    this.deps.logger.info(
      { proxy: this.name, listen: this.listen, upstream: this.upstream },
      'started proxy',
    );
  }

  /** Stops listening and closes every connection (and pending dial). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.enabled = false;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const [client, upstream] of this.dialing) {
      upstream.destroy();
      client.destroy();
    }
    this.dialing.clear();
    for (const connection of this.connections) connection.destroy();
    this.connections.clear();
    await closed;
    this.deps.logger.info({ proxy: this.name }, 'stopped proxy');
  }

  /**
   * Toxiproxy's Proxy.Update: the new listen address is resolved first (an unresolvable one is a 500 with
   * Go's ResolveTCPAddr text, nothing changed); a different listen/upstream restarts the listener;
   * `enabled` starts or stops it (a bind error is a 500 and leaves the proxy disabled, as in Toxiproxy).
   */
  async update(input: ProxySettings): Promise<void> {
    const target = resolveListen(input.listen);
    if (target.error !== undefined) throw apiErrors.internal(target.error);
    if (formatAddress(target.host, target.port) !== this.listen || input.upstream !== this.upstream) {
      await this.stop();
      this.listen = input.listen;
      this.upstream = input.upstream;
    }
    if (input.enabled !== this.enabled) {
      if (input.enabled) await this.start();
      else await this.stop();
    }
  }

  /** Number of open proxied connections. */
  get openConnections(): number {
    return this.connections.size;
  }

  /** All toxics: upstream first, each direction in insertion order. */
  allToxics(): ToxicEntry[] {
    return [...this.toxics.upstream, ...this.toxics.downstream];
  }

  findToxic(name: string): ToxicEntry | undefined {
    return (
      this.toxics.upstream.find((t) => t.name === name) ?? this.toxics.downstream.find((t) => t.name === name)
    );
  }

  /** Appends a toxic and applies it to every open connection. */
  addToxic(entry: ToxicEntry): void {
    this.toxics[entry.direction].push(entry);
    for (const connection of this.connections) connection.link(entry.direction).addToxic(entry);
  }

  /** Replaces a toxic (same name and direction) and restarts it on every open connection. */
  updateToxic(previous: ToxicEntry, entry: ToxicEntry): void {
    const list = this.toxics[previous.direction];
    const index = list.indexOf(previous);
    if (index < 0) return;
    list[index] = entry;
    for (const connection of this.connections) connection.link(entry.direction).updateToxic(entry, previous);
  }

  /** Removes a toxic from the proxy and from every open connection. */
  removeToxic(entry: ToxicEntry): void {
    const list = this.toxics[entry.direction];
    const index = list.indexOf(entry);
    if (index < 0) return;
    list.splice(index, 1);
    for (const connection of this.connections) connection.link(entry.direction).removeToxic(entry);
  }

  /** Removes every toxic, in order (POST /reset). */
  removeAllToxics(): void {
    for (const direction of DIRECTIONS) {
      for (const entry of [...this.toxics[direction]]) this.removeToxic(entry);
    }
  }

  /** The API's JSON object, keys in Toxiproxy's order (`Logger` included, as the real server prints it). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      listen: this.listen,
      upstream: this.upstream,
      enabled: this.enabled,
      Logger: {},
      toxics: this.allToxics().map(toxicJson),
    };
  }

  /** Whether a reset_peer toxic is set (connections accepted now close with RST). */
  private hasResetPeer(): boolean {
    for (const direction of DIRECTIONS) {
      for (const t of this.toxics[direction]) if (t.kind.type === 'reset_peer') return true;
    }
    return false;
  }

  private accept(server: Server, client: Socket): void {
    client.on('error', () => {});
    if (server !== this.server) {
      client.destroy();
      return;
    }
    if (this.dialTarget?.address !== this.upstream) {
      this.dialTarget = { address: this.upstream, target: resolveUpstream(this.upstream) };
    }
    const { target } = this.dialTarget;
    if (target.error !== undefined) {
      this.deps.logger.warn({ proxy: this.name, upstream: this.upstream, err: target.error }, 'bad upstream');
      client.destroy();
      return;
    }
    const id = ++this.acceptedCount;
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    this.dialing.set(client, upstream);
    let connected = false;
    upstream.on('error', (e) => {
      if (connected) return;
      this.dialing.delete(client);
      this.deps.logger.warn(
        { proxy: this.name, upstream: this.upstream, err: e.message },
        'upstream dial failed',
      );
      upstream.destroy();
      client.destroy();
    });
    client.once('close', () => {
      if (!connected && this.dialing.delete(client)) upstream.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      this.dialing.delete(client);
      if (client.destroyed || server !== this.server) {
        upstream.destroy();
        client.destroy();
        return;
      }
      const connection = new Connection(client, upstream, {
        clock: this.deps.clock,
        makeRng: (direction) => this.deps.rng.fork(`${this.name}#${id}/${direction}`),
        toxics: this.toxics,
        counters: this.counters,
        resetOnClose: this.hasResetPeer(),
        onClosed: (c) => this.connections.delete(c),
      });
      this.connections.add(connection);
      client.resume();
    });
  }
}
