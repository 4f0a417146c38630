import type { TimerHandle } from '../../core/index.js';
import { attr, type ToxicType, timerMs } from './toxic.js';

/**
 * `timeout` {timeout ms}: every byte in its direction is dropped; the connection is closed `timeout` ms
 * after the stage started or after the last chunk arrived; 0 = never. Removing the toxic closes the
 * connections it was on.
 */
export const timeoutToxic: ToxicType = {
  type: 'timeout',
  goName: 'TimeoutToxic',
  attributes: ['timeout'],
  closesOnRemove: true,
  run(attrs, ctx) {
    const timeout = attr(attrs, 'timeout');
    let timer: TimerHandle | undefined;
    const arm = () => {
      if (timeout <= 0) return;
      ctx.clock.clearTimeout(timer);
      timer = ctx.clock.setTimeout(() => {
        timer = undefined;
        ctx.end();
      }, timerMs(timeout));
    };
    arm();
    return {
      handle(chunk) {
        if (chunk === undefined) {
          ctx.clock.clearTimeout(timer);
          timer = undefined;
          ctx.end();
          return true;
        }
        ctx.discard(chunk.data.length);
        arm();
        return true;
      },
      interrupt() {
        ctx.clock.clearTimeout(timer);
        timer = undefined;
        return [];
      },
    };
  },
};
