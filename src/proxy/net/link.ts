import type { Socket } from 'node:net';
import type { Clock, Rng } from '../../core/index.js';
import type { Direction, ToxicEntry } from '../model/toxic-entry.js';
import type { Chunk } from '../toxics/index.js';
import { Stage, type StageHost } from './stage.js';

/** Byte counters a link adds to (the proxy's, per direction). */
export interface ByteCounters {
  /** Bytes read from the source socket. */
  received: number;
  /** Bytes written to the destination socket. */
  sent: number;
}

/** Above this many bytes read but not yet written (toxics holding data), the source is paused. */
const HIGH_WATER_BYTES = 256 * 1024;
/** ...and resumed once below this. */
const LOW_WATER_BYTES = 64 * 1024;

/** What a link needs from its connection. */
export interface LinkHost {
  readonly clock: Clock;
  /** Seeded randomness for this link, made on first use. */
  makeRng(direction: Direction): Rng;
  /** The link's EOF reached the destination: close `dest` (and with it the other link's source). */
  closeSocket(socket: Socket): void;
}

/**
 * One direction of one proxied connection. With no toxics, each chunk is written straight to the destination
 * (pausing the source while the destination's buffer is full). With toxics, chunks go through one `Stage`
 * per toxic, in order, and the source is paused while too much is held. Toxics can be added, updated and
 * removed while data flows.
 */
export class Link implements StageHost {
  readonly clock: Clock;
  private stages: Stage[] = [];
  private rngInstance: Rng | undefined;
  /** Bytes read but not yet written or dropped (only counted while toxics are present). */
  private pending = 0;
  private congested = false;
  private overLimit = false;
  private sourceEnded = false;
  private sinkEnded = false;
  private destWritable = true;

  constructor(
    readonly direction: Direction,
    private readonly source: Socket,
    private readonly dest: Socket,
    private readonly counters: ByteCounters,
    private readonly host: LinkHost,
    toxics: readonly ToxicEntry[],
  ) {
    this.clock = host.clock;
    for (const entry of toxics) this.stages.push(new Stage(entry, this));
    this.rewire();
    for (const stage of this.stages) stage.start();
  }

  /** The link's randomness (StageHost). */
  rng(): Rng {
    this.rngInstance ??= this.host.makeRng(this.direction);
    return this.rngInstance;
  }

  /** A chunk read from the source socket. */
  onData(data: Buffer): void {
    if (this.sourceEnded) return;
    this.counters.received += data.length;
    const first = this.stages[0];
    if (first === undefined) {
      this.write(data);
      return;
    }
    this.pending += data.length;
    first.push({ data, timestampMs: this.clock.now() });
    if (this.pending > HIGH_WATER_BYTES && !this.overLimit && !this.sourceEnded) {
      this.overLimit = true;
      this.source.pause();
    }
  }

  /** EOF or error on the source socket (or it was closed by the other link). */
  onSourceEnd(): void {
    if (this.sourceEnded) return;
    this.sourceEnded = true;
    const first = this.stages[0];
    if (first) first.push(undefined);
    else this.sinkItem(undefined);
  }

  /** The destination socket drained its write buffer. */
  onDrain(): void {
    this.congested = false;
    this.maybeResume();
  }

  /** The destination socket is gone (error or closed): later writes are dropped. */
  onDestGone(): void {
    this.destWritable = false;
  }

  /** StageHost: a toxic dropped bytes. */
  discard(bytes: number): void {
    this.release(bytes);
  }

  /** Appends a toxic (restarting the current last one, as Toxiproxy does). */
  addToxic(entry: ToxicEntry): void {
    this.stages[this.stages.length - 1]?.restart();
    const stage = new Stage(entry, this);
    this.stages.push(stage);
    this.rewire();
    if (this.sinkEnded) stage.ended = true;
    stage.start();
  }

  /** Restarts the toxic's stage with new attributes / toxicity. */
  updateToxic(entry: ToxicEntry, previous: ToxicEntry): void {
    this.stages.find((s) => s.entry === previous)?.restart(entry);
  }

  /**
   * Removes a toxic: what it held or queued is passed on in order and the previous toxic restarts; a toxic
   * that `closesOnRemove` (timeout) closes its output instead, which closes the connection.
   */
  removeToxic(entry: ToxicEntry): void {
    const index = this.stages.findIndex((s) => s.entry === entry);
    const stage = this.stages[index];
    if (stage === undefined) return;
    if (entry.kind.closesOnRemove && !stage.ended) {
      stage.end();
      return; // as in Toxiproxy the closing stage stays; the connection is going away
    }
    const items = stage.drain();
    this.stages.splice(index, 1);
    this.rewire();
    const target = this.stages[index];
    for (const item of items) {
      if (target) target.push(item);
      else this.sinkItem(item);
    }
    this.stages[index - 1]?.restart();
  }

  /** Stops every toxic's timers (the connection is being torn down). */
  dispose(): void {
    for (const stage of this.stages) stage.dispose();
    this.sourceEnded = true;
    this.sinkEnded = true;
  }

  private rewire(): void {
    const { stages } = this;
    for (let i = 0; i < stages.length; i++) {
      const next = stages[i + 1];
      stages[i]!.output = next ? (item) => next.push(item) : (item) => this.sinkItem(item);
    }
  }

  /** The end of the toxic chain: write to the destination, or close it on EOF. */
  private sinkItem(item: Chunk | undefined): void {
    if (this.sinkEnded) {
      if (item) this.release(item.data.length);
      return;
    }
    if (item === undefined) {
      this.sinkEnded = true;
      this.host.closeSocket(this.dest);
      return;
    }
    this.release(item.data.length);
    this.write(item.data);
  }

  private write(data: Buffer): void {
    if (!this.destWritable || this.sinkEnded) return;
    this.counters.sent += data.length;
    if (!this.dest.write(data) && !this.congested) {
      this.congested = true;
      this.source.pause();
    }
  }

  private release(bytes: number): void {
    this.pending -= bytes;
    if (this.overLimit && this.pending <= LOW_WATER_BYTES) {
      this.overLimit = false;
      this.maybeResume();
    }
  }

  private maybeResume(): void {
    if (!this.congested && !this.overLimit && !this.sourceEnded) this.source.resume();
  }
}

export type { Direction };
