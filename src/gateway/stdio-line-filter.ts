/**
 * A filter in front of the stdio transport: a line whose first non-blank character is not `{` or `[`
 * cannot be a JSON-RPC message — the SDK would drop it without a word, leaving the client waiting — so
 * it is reported as soon as its first character shows it (`onBadLine`, which answers -32700) and dropped
 * up to its end, however long. Good lines pass through byte for
 * byte, in streaming fashion: nothing is buffered (the SDK bounds a message's size).
 */
import { Transform, type TransformCallback } from 'node:stream';

const LF = 0x0a;
const BLANK = new Set([0x20, 0x09, 0x0d]);
const OPENERS = new Set([0x7b, 0x5b]); // { [

export function stdioLineFilter(onBadLine: () => void): Transform {
  /** undefined: at the start of a line (nothing but blanks yet); true: passing it on; false: dropping it. */
  let keep: boolean | undefined;
  let pendingBlank: number[] = [];
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      let from = 0;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i] as number;
        if (keep === undefined) {
          if (b === LF) {
            pendingBlank = [];
            from = i + 1;
            continue;
          }
          if (BLANK.has(b)) {
            pendingBlank.push(b);
            from = i + 1;
            continue;
          }
          keep = OPENERS.has(b);
          if (!keep) onBadLine(); // at once: the rest of the line may never come
          if (keep && pendingBlank.length > 0) this.push(Buffer.from(pendingBlank));
          pendingBlank = [];
          from = i;
        }
        if (b === LF) {
          if (keep) this.push(chunk.subarray(from, i + 1));
          keep = undefined;
          from = i + 1;
        }
      }
      if (keep === true && from < chunk.length) this.push(chunk.subarray(from));
      done();
    },
  });
}
