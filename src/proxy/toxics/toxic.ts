import type { Clock, Rng } from '../../core/index.js';

/** One piece of data as one socket read returned it, with the clock time it was read at (ms). */
export interface Chunk {
  data: Buffer;
  timestampMs: number;
}

/** A toxic's attributes: integers keyed by their JSON names (all default to 0). */
export type ToxicAttributes = Record<string, number>;

/** What a running toxic may do on the link (one connection, one direction) it runs on. */
export interface StageContext {
  readonly clock: Clock;
  /** Seeded randomness for this link (the same seed replays the same jitter and sizes). */
  readonly rng: Rng;
  /** Per-link state that survives restarts of this stage (e.g. limit_data's byte count). */
  readonly state: Record<string, number>;
  /** Passes a chunk on to the next stage, or to the destination socket at the end of the chain. */
  emit(chunk: Chunk): void;
  /** Reports `bytes` dropped on the floor (keeps the link's backpressure accounting right). */
  discard(bytes: number): void;
  /** Closes this stage's output: EOF travels on and, at the end of the chain, closes the connection. */
  end(): void;
  /** Finishes the item a previous `handle` returned `false` for; the next queued item follows. */
  done(): void;
}

/**
 * One run of a toxic on one link. A fresh runner is made each time the toxic's stage (re)starts: when it is
 * added, updated, or its neighbour changes (as in Toxiproxy). Items are handed over one at a time.
 */
export interface ToxicRunner {
  /**
   * Handles one chunk, or EOF (`undefined`). Returns true when done with it synchronously; false when it
   * will call `ctx.done()` (or `ctx.end()`) later.
   */
  handle(chunk: Chunk | undefined): boolean;
  /** Stops the run now (timers cleared) and returns chunks it held, to be passed on unchanged. */
  interrupt(): Chunk[];
}

/** A toxic type: its attributes (in JSON order) and how it runs. One file per type in this folder. */
export interface ToxicType {
  /** The `type` string of the API, e.g. `latency`. */
  readonly type: string;
  /** Go struct name in Toxiproxy, used in decoder error texts (e.g. `LatencyToxic`). */
  readonly goName: string;
  /** Attribute names, in the order the API prints them. */
  readonly attributes: readonly string[];
  /** True when removing the toxic closes the connections it was on (Toxiproxy's `timeout`). */
  readonly closesOnRemove?: boolean;
  /**
   * Checks values the real server would crash or stall on (negative values are checked for every type
   * before this). Returns a clear message, or undefined when valid.
   */
  validate?(attrs: ToxicAttributes): string | undefined;
  /** Starts one run of the toxic on a link. */
  run(attrs: ToxicAttributes, ctx: StageContext): ToxicRunner;
}

/** Longest delay a Node timer can take (~24.8 days); longer values would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Clamps a delay to what a Node timer can honour. */
export function timerMs(ms: number): number {
  return Math.min(ms, MAX_TIMER_MS);
}

/** Reads an attribute (0 when absent). */
export function attr(attrs: ToxicAttributes, name: string): number {
  return attrs[name] ?? 0;
}
