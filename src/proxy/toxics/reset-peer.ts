import type { TimerHandle } from '../../core/index.js';
import { attr, type ToxicType, timerMs } from './toxic.js';

/**
 * `reset_peer` {timeout ms}: on the first chunk (or EOF) waits `timeout` ms, then closes the connection;
 * nothing is forwarded. The close is a TCP RST (`socket.resetAndDestroy()`, like SO_LINGER 0) on
 * connections accepted while a reset_peer toxic existed on the proxy — the link arms those at accept
 * time, as the real server does; older connections get a normal close.
 */
export const resetPeerToxic: ToxicType = {
  type: 'reset_peer',
  goName: 'ResetToxic',
  attributes: ['timeout'],
  run(attrs, ctx) {
    const timeout = attr(attrs, 'timeout');
    let timer: TimerHandle | undefined;
    return {
      handle(chunk) {
        if (chunk !== undefined) ctx.discard(chunk.data.length);
        if (timeout <= 0) {
          ctx.end();
          return true;
        }
        timer = ctx.clock.setTimeout(() => {
          timer = undefined;
          ctx.end();
        }, timerMs(timeout));
        return false;
      },
      interrupt() {
        ctx.clock.clearTimeout(timer);
        timer = undefined;
        return [];
      },
    };
  },
};
