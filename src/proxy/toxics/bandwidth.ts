import type { TimerHandle } from '../../core/index.js';
import { attr, type Chunk, type ToxicType, timerMs } from './toxic.js';

/** Large chunks are sent in slices of this many milliseconds' worth of data. */
const SLICE_MS = 100;

/**
 * `bandwidth` {rate KB/s, KB = 1000 bytes}: paced so that N bytes take N / rate ms; chunks larger than
 * 100 ms worth of data go out in 100 ms slices. Timer overshoot is paid back on the next chunk (as in
 * Toxiproxy). Rate 0 is rejected by the API (the real server stalls forever on it).
 */
export const bandwidthToxic: ToxicType = {
  type: 'bandwidth',
  goName: 'BandwidthToxic',
  attributes: ['rate'],
  validate(attrs) {
    const rate = attr(attrs, 'rate');
    if (rate <= 0) {
      return `bandwidth rate must be positive (KB/s), got ${rate} (the real Toxiproxy stalls the stream forever on 0)`;
    }
    return undefined;
  },
  run(attrs, ctx) {
    const rate = attr(attrs, 'rate');
    const sliceBytes = rate * SLICE_MS;
    /** Milliseconds still owed for the data let through so far. */
    let owedMs = 0;
    let rest: Buffer | undefined;
    let timestampMs = 0;
    let timer: TimerHandle | undefined;

    /** Sends what is left of the current chunk; returns true when it finished synchronously. */
    const step = (sync: boolean): boolean => {
      const data = rest!;
      if (data.length > sliceBytes) {
        timer = ctx.clock.setTimeout(() => {
          timer = undefined;
          rest = data.subarray(sliceBytes);
          owedMs -= SLICE_MS;
          ctx.emit({ data: data.subarray(0, sliceBytes), timestampMs });
          step(false);
        }, SLICE_MS);
        return false;
      }
      if (owedMs <= 0) {
        rest = undefined;
        ctx.emit({ data, timestampMs });
        if (!sync) ctx.done();
        return true;
      }
      const startedAt = ctx.clock.now();
      timer = ctx.clock.setTimeout(() => {
        timer = undefined;
        owedMs -= ctx.clock.now() - startedAt;
        rest = undefined;
        ctx.emit({ data, timestampMs });
        ctx.done();
      }, timerMs(owedMs));
      return false;
    };

    return {
      handle(chunk) {
        if (chunk === undefined) {
          ctx.end();
          return true;
        }
        owedMs += chunk.data.length / rate;
        rest = chunk.data;
        timestampMs = chunk.timestampMs;
        return step(true);
      },
      interrupt(): Chunk[] {
        ctx.clock.clearTimeout(timer);
        timer = undefined;
        const out = rest && rest.length > 0 ? [{ data: rest, timestampMs }] : [];
        rest = undefined;
        return out;
      },
    };
  },
};
