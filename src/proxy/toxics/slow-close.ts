import type { TimerHandle } from '../../core/index.js';
import { attr, type ToxicType, timerMs } from './toxic.js';

/** `slow_close` {delay ms}: data passes; the close that follows EOF is held back for `delay` ms. */
export const slowCloseToxic: ToxicType = {
  type: 'slow_close',
  goName: 'SlowCloseToxic',
  attributes: ['delay'],
  run(attrs, ctx) {
    const delay = attr(attrs, 'delay');
    let timer: TimerHandle | undefined;
    return {
      handle(chunk) {
        if (chunk !== undefined) {
          ctx.emit(chunk);
          return true;
        }
        timer = ctx.clock.setTimeout(() => {
          timer = undefined;
          ctx.end();
        }, timerMs(delay));
        return false;
      },
      interrupt() {
        // An interrupted wait starts again in the next run: the stage hands EOF over again.
        ctx.clock.clearTimeout(timer);
        timer = undefined;
        return [];
      },
    };
  },
};
