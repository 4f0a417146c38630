import type { Socket } from 'node:net';
import type { Clock, Rng } from '../../core/index.js';
import type { ToxicEntry } from '../model/toxic-entry.js';
import { type ByteCounters, type Direction, Link, type LinkHost } from './link.js';

/** What a connection needs from its proxy. */
export interface ConnectionOptions {
  readonly clock: Clock;
  /** Seeded randomness for one link of this connection. */
  makeRng(direction: Direction): Rng;
  /** The toxics of each direction at accept time. */
  readonly toxics: Readonly<Record<Direction, readonly ToxicEntry[]>>;
  readonly counters: Readonly<Record<Direction, ByteCounters>>;
  /**
   * Close with a TCP RST (SO_LINGER 0) however the connection ends: set when a reset_peer toxic existed at
   * accept time, as the real server does.
   */
  readonly resetOnClose: boolean;
  /** Called once when both sockets are closed. */
  onClosed(connection: Connection): void;
}

/**
 * One proxied client connection: the client socket, the upstream socket and the two links between them.
 * EOF or an error on one side travels through that direction's toxics and then closes both sockets
 * (no half-close).
 */
export class Connection implements LinkHost {
  readonly clock: Clock;
  readonly upstreamLink: Link;
  readonly downstreamLink: Link;
  private openSockets = 2;

  constructor(
    private readonly client: Socket,
    private readonly upstream: Socket,
    private readonly options: ConnectionOptions,
  ) {
    this.clock = options.clock;
    const up = new Link(
      'upstream',
      client,
      upstream,
      options.counters.upstream,
      this,
      options.toxics.upstream,
    );
    const down = new Link(
      'downstream',
      upstream,
      client,
      options.counters.downstream,
      this,
      options.toxics.downstream,
    );
    this.upstreamLink = up;
    this.downstreamLink = down;
    this.wire(client, up, down);
    this.wire(upstream, down, up);
  }

  /** LinkHost: per-link randomness. */
  makeRng(direction: Direction): Rng {
    return this.options.makeRng(direction);
  }

  /** The link for a direction. */
  link(direction: Direction): Link {
    return direction === 'upstream' ? this.upstreamLink : this.downstreamLink;
  }

  /** LinkHost: a link's EOF reached its destination; close that socket gracefully (or with RST). */
  closeSocket(socket: Socket): void {
    if (socket.destroyed) return;
    if (this.options.resetOnClose) resetSocket(socket);
    else {
      socket.end();
      if (socket.writableFinished) socket.destroy();
      else socket.once('finish', () => socket.destroy());
    }
    // The other link read from this socket: it is closed now, as Go's Close() would make the read fail.
    (socket === this.client ? this.upstreamLink : this.downstreamLink).onSourceEnd();
  }

  /** Tears everything down now: timers stopped, both sockets destroyed. */
  destroy(): void {
    this.upstreamLink.dispose();
    this.downstreamLink.dispose();
    for (const socket of [this.client, this.upstream]) {
      if (socket.destroyed) continue;
      if (this.options.resetOnClose) resetSocket(socket);
      else socket.destroy();
    }
  }

  private wire(socket: Socket, reader: Link, writer: Link): void {
    socket.on('data', (data: Buffer) => reader.onData(data));
    socket.on('end', () => reader.onSourceEnd());
    socket.on('drain', () => writer.onDrain());
    socket.on('error', () => {
      writer.onDestGone();
      reader.onSourceEnd();
    });
    socket.once('close', () => {
      writer.onDestGone();
      reader.onSourceEnd();
      if (--this.openSockets === 0) {
        this.upstreamLink.dispose();
        this.downstreamLink.dispose();
        this.options.onClosed(this);
      }
    });
  }
}

/** Destroys a socket with a TCP RST. */
export function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
