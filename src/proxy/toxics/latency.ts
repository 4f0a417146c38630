import type { TimerHandle } from '../../core/index.js';
import { attr, type Chunk, type ToxicType, timerMs } from './toxic.js';

/**
 * `latency` {latency ms, jitter ms}: each chunk is released at its read time + latency ± jitter (uniform,
 * integer ms in [latency − jitter, latency + jitter)). Chunks are handled in order, so a queued chunk waits
 * for the one before it but does not add its delay; nothing is dropped; stacked latency toxics add up.
 * A chunk is never released before its time (a timer that fires early is set again for the rest).
 */
export const latencyToxic: ToxicType = {
  type: 'latency',
  goName: 'LatencyToxic',
  attributes: ['latency', 'jitter'],
  run(attrs, ctx) {
    const latency = attr(attrs, 'latency');
    const jitter = attr(attrs, 'jitter');
    let held: Chunk | undefined;
    let timer: TimerHandle | undefined;
    return {
      handle(chunk) {
        if (chunk === undefined) {
          ctx.end();
          return true;
        }
        const delay = jitter > 0 ? latency + ctx.rng.int(0, 2 * jitter - 1) - jitter : latency;
        const releaseAt = chunk.timestampMs + delay;
        const waitMs = releaseAt - ctx.clock.now();
        if (waitMs <= 0) {
          chunk.timestampMs = releaseAt;
          ctx.emit(chunk);
          return true;
        }
        held = chunk;
        // Timers can fire up to ~1 ms before their time: wait again until the release time has come, so
        // a latency toxic never delivers early.
        const release = (): void => {
          const left = releaseAt - ctx.clock.now();
          if (left > 0) {
            timer = ctx.clock.setTimeout(release, timerMs(Math.ceil(left)));
            return;
          }
          held = undefined;
          timer = undefined;
          chunk.timestampMs = releaseAt;
          ctx.emit(chunk);
          ctx.done();
        };
        timer = ctx.clock.setTimeout(release, timerMs(Math.ceil(waitMs)));
        return false;
      },
      interrupt() {
        ctx.clock.clearTimeout(timer);
        timer = undefined;
        const out = held ? [held] : [];
        held = undefined;
        return out;
      },
    };
  },
};
