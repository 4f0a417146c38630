import type { Rng, TimerHandle } from '../../core/index.js';
import { attr, type Chunk, type ToxicType, timerMs } from './toxic.js';

/**
 * Cut points splitting [start, end) into pieces of about `average` ± `variation` bytes: halves recursively
 * (the midpoint moved by a uniform offset in [−variation, variation)) until a piece is at most
 * average + variation long. Same algorithm as Toxiproxy's.
 */
export function slicePoints(
  start: number,
  end: number,
  average: number,
  variation: number,
  rng: Rng,
): number[] {
  if (end - start - average <= variation) return [start, end];
  let mid = start + Math.floor((end - start) / 2);
  if (variation > 0) mid += rng.int(0, 2 * variation - 1) - variation;
  const left = slicePoints(start, mid, average, variation, rng);
  const right = slicePoints(mid, end, average, variation, rng);
  for (let i = 1; i < right.length; i++) left.push(right[i]!);
  return left;
}

/**
 * `slicer` {average_size bytes, size_variation bytes, delay µs}: splits each chunk into pieces of about
 * average_size ± size_variation bytes, in order, waiting `delay` µs after each piece.
 */
export const slicerToxic: ToxicType = {
  type: 'slicer',
  goName: 'SlicerToxic',
  attributes: ['average_size', 'size_variation', 'delay'],
  validate(attrs) {
    const average = attr(attrs, 'average_size');
    const variation = attr(attrs, 'size_variation');
    if (average <= 0) {
      return `slicer average_size must be positive (bytes), got ${average} (the real Toxiproxy overflows its stack)`;
    }
    if (variation > average) {
      return `slicer size_variation (${variation}) must not exceed average_size (${average}) (the real Toxiproxy panics)`;
    }
    return undefined;
  },
  run(attrs, ctx) {
    const average = attr(attrs, 'average_size');
    const variation = attr(attrs, 'size_variation');
    const delayMs = attr(attrs, 'delay') / 1000;
    let current: Chunk | undefined;
    let points: number[] = [];
    /** Index of the next cut point to send up to. */
    let next = 0;
    let timer: TimerHandle | undefined;

    /** Sends pieces from `next` on; returns true when the chunk finished synchronously. */
    const send = (sync: boolean): boolean => {
      const chunk = current!;
      while (next < points.length) {
        const data = chunk.data.subarray(points[next - 1]!, points[next]!);
        next++;
        ctx.emit({ data, timestampMs: chunk.timestampMs });
        if (delayMs > 0) {
          timer = ctx.clock.setTimeout(() => {
            timer = undefined;
            send(false);
          }, timerMs(delayMs));
          return false;
        }
      }
      current = undefined;
      if (!sync) ctx.done();
      return true;
    };

    return {
      handle(chunk) {
        if (chunk === undefined) {
          ctx.end();
          return true;
        }
        current = chunk;
        points = slicePoints(0, chunk.data.length, average, variation, ctx.rng);
        next = 1;
        return send(true);
      },
      interrupt(): Chunk[] {
        ctx.clock.clearTimeout(timer);
        timer = undefined;
        const chunk = current;
        current = undefined;
        if (!chunk) return [];
        const from = points[next - 1]!;
        return from < chunk.data.length
          ? [{ data: chunk.data.subarray(from), timestampMs: chunk.timestampMs }]
          : [];
      },
    };
  },
};
