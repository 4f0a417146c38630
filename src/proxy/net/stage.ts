import type { Clock, Rng } from '../../core/index.js';
import type { ToxicEntry } from '../model/toxic-entry.js';
import { type Chunk, passThrough, type StageContext, type ToxicRunner } from '../toxics/index.js';

/** What a stage needs from its link. */
export interface StageHost {
  readonly clock: Clock;
  /** The link's seeded randomness (made on first use). */
  rng(): Rng;
  /** Bytes dropped by a toxic. */
  discard(bytes: number): void;
}

/** Receives the items a stage lets through: a chunk, or `undefined` for EOF. */
export type StageOutput = (item: Chunk | undefined) => void;

/**
 * One toxic on one link: a FIFO of items handed one at a time to the toxic's current runner (like a
 * Toxiproxy stub and its goroutine). `restart` interrupts the runner, passes on what it held, rolls
 * toxicity again and starts a fresh runner; an EOF the old runner had taken is handed over again.
 */
export class Stage {
  /** Where this stage's output goes (next stage or the link's sink); rewired by the link. */
  output: StageOutput = () => {};
  /** True once EOF has left this stage (or it was closed): it takes nothing more. */
  ended = false;
  /** The persistent per-link state of this toxic. */
  readonly state: Record<string, number> = {};
  private queue: Array<Chunk | undefined> = [];
  private head = 0;
  private runner: ToxicRunner | undefined;
  private busy = false;
  private pumping = false;
  /** EOF has arrived (queued or taken). */
  private eofIn = false;
  /** A runner has taken EOF but not ended. */
  private eofTaken = false;
  private readonly ctx: StageContext;

  constructor(
    public entry: ToxicEntry,
    private readonly host: StageHost,
  ) {
    this.ctx = {
      clock: host.clock,
      get rng() {
        return host.rng();
      },
      state: this.state,
      emit: (chunk) => {
        if (!this.ended) this.output(chunk);
      },
      discard: (bytes) => host.discard(bytes),
      end: () => this.end(),
      done: () => {
        if (!this.busy) return;
        this.busy = false;
        this.pump();
      },
    };
  }

  /** Starts (or after `interrupt`, restarts) the toxic: toxicity is rolled here. */
  start(): void {
    if (this.ended) return;
    const { entry } = this;
    const applies = entry.toxicity >= 1 || (entry.toxicity > 0 && this.host.rng().chance(entry.toxicity));
    this.runner = applies ? entry.kind.run(entry.attributes, this.ctx) : passThrough(this.ctx);
    if (this.eofTaken) {
      this.eofTaken = false;
      this.unshift(undefined);
    }
    this.pump();
  }

  /** Accepts an item from upstream. */
  push(item: Chunk | undefined): void {
    if (this.ended || this.eofIn) {
      if (item) this.host.discard(item.data.length);
      return;
    }
    if (item === undefined) this.eofIn = true;
    this.queue.push(item);
    this.pump();
  }

  /** Interrupts the runner and passes on what it held; call `start()` to run again. */
  interrupt(): void {
    const runner = this.runner;
    this.runner = undefined;
    this.busy = false;
    if (!runner) return;
    for (const chunk of runner.interrupt()) if (!this.ended) this.output(chunk);
  }

  /** Interrupt, then start again with `entry` (a toxic update) or the same toxic (a neighbour changed). */
  restart(entry: ToxicEntry = this.entry): void {
    this.entry = entry;
    if (this.ended) return;
    this.interrupt();
    this.start();
  }

  /**
   * For removal: interrupts and returns everything not yet passed on (held chunks, queue, EOF) in order.
   * The stage is dead afterwards.
   */
  drain(): Array<Chunk | undefined> {
    const held = this.runner?.interrupt() ?? [];
    this.runner = undefined;
    const items: Array<Chunk | undefined> = this.ended ? [] : [...held];
    if (!this.ended) {
      if (this.eofTaken) items.push(undefined);
      for (let i = this.head; i < this.queue.length; i++) items.push(this.queue[i]);
    }
    this.ended = true;
    this.clearQueue();
    return items;
  }

  /** Closes the output now (EOF on), dropping what is queued — `timeout` removal. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const runner = this.runner;
    this.runner = undefined;
    runner?.interrupt();
    this.clearQueue();
    this.output(undefined);
  }

  /** Stops timers and drops everything (connection torn down). */
  dispose(): void {
    this.runner?.interrupt();
    this.runner = undefined;
    this.ended = true;
    this.queue = [];
    this.head = 0;
  }

  private clearQueue(): void {
    for (let i = this.head; i < this.queue.length; i++) {
      const item = this.queue[i];
      if (item) this.host.discard(item.data.length);
    }
    this.queue = [];
    this.head = 0;
  }

  private unshift(item: Chunk | undefined): void {
    if (this.head > 0) this.queue[--this.head] = item;
    else this.queue.unshift(item);
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.busy && !this.ended && this.runner && this.head < this.queue.length) {
        const item = this.queue[this.head];
        this.queue[this.head++] = undefined;
        if (this.head === this.queue.length) {
          this.queue = [];
          this.head = 0;
        }
        if (item === undefined) this.eofTaken = true;
        this.busy = true;
        const runner = this.runner;
        if (runner.handle(item) && this.runner === runner) this.busy = false;
      }
    } finally {
      this.pumping = false;
    }
  }
}
