import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { FakeClock, SeededRng } from '../../../src/core/index.js';
import { fillAttributes, type ToxicEntry } from '../../../src/proxy/model/toxic-entry.js';
import { type Direction, Link, type LinkHost } from '../../../src/proxy/net/link.js';
import { TOXIC_TYPES } from '../../../src/proxy/toxics/index.js';

/** A stand-in for a net.Socket: records writes (with fake-clock times), pauses and closes. */
export class FakeSocket extends EventEmitter {
  readonly writes: Array<{ data: string; at: number }> = [];
  paused = false;
  destroyed = false;
  /** What write() returns (false = buffer full). */
  writeReturns = true;
  constructor(private readonly clock: FakeClock) {
    super();
  }
  write(data: Buffer): boolean {
    this.writes.push({ data: data.toString('latin1'), at: this.clock.now() });
    return this.writeReturns;
  }
  pause(): this {
    this.paused = true;
    return this;
  }
  resume(): this {
    this.paused = false;
    return this;
  }
  /** Everything written, concatenated. */
  text(): string {
    return this.writes.map((w) => w.data).join('');
  }
  asSocket(): Socket {
    return this as unknown as Socket;
  }
}

/** A toxic entry for tests. */
export function toxic(
  type: string,
  attributes: Record<string, number> = {},
  options: { name?: string; toxicity?: number; direction?: Direction } = {},
): ToxicEntry {
  const kind = TOXIC_TYPES.get(type);
  if (!kind) throw new Error(`no toxic type ${type}`);
  const direction = options.direction ?? 'downstream';
  return {
    name: options.name ?? `${type}_${direction}`,
    kind,
    stream: direction,
    direction,
    toxicity: options.toxicity ?? 1,
    attributes: fillAttributes(kind, attributes),
  };
}

/** One link between two fake sockets, on a fake clock. */
export function makeLink(toxics: ToxicEntry[] = [], seed = 42) {
  const clock = new FakeClock(0);
  const source = new FakeSocket(clock);
  const dest = new FakeSocket(clock);
  const closes: Array<{ at: number }> = [];
  const counters = { received: 0, sent: 0 };
  const host: LinkHost = {
    clock,
    makeRng: (direction) => new SeededRng(seed).fork(direction),
    closeSocket: () => {
      closes.push({ at: clock.now() });
    },
  };
  const link = new Link('downstream', source.asSocket(), dest.asSocket(), counters, host, toxics);
  /** Feeds a chunk read from the source at the current fake time. */
  const send = (text: string) => link.onData(Buffer.from(text, 'latin1'));
  return { clock, source, dest, closes, counters, link, send };
}
