import { attr, type ToxicType } from './toxic.js';

/**
 * `limit_data` {bytes}: forwards at most `bytes` per connection and direction (truncating the chunk that
 * crosses the limit), then closes the connection. The count survives updates of the toxic.
 */
export const limitDataToxic: ToxicType = {
  type: 'limit_data',
  goName: 'LimitDataToxic',
  attributes: ['bytes'],
  run(attrs, ctx) {
    const limit = attr(attrs, 'bytes');
    return {
      handle(chunk) {
        if (chunk === undefined) {
          ctx.end();
          return true;
        }
        const sent = ctx.state.sent ?? 0;
        const remaining = Math.max(0, limit - sent);
        let data = chunk.data;
        if (data.length > remaining) {
          ctx.discard(data.length - remaining);
          data = data.subarray(0, remaining);
        }
        if (data.length > 0) {
          ctx.state.sent = sent + data.length;
          chunk.data = data;
          ctx.emit(chunk);
        }
        if (limit - (ctx.state.sent ?? 0) <= 0) ctx.end();
        return true;
      },
      interrupt: () => [],
    };
  },
};
