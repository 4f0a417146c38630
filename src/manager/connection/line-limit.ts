/**
 * A bound on the lines a stdio child writes: the SDK buffers stdout until a newline (copying the buffer on
 * every chunk), so one endless line would grow without limit. The watcher runs before the SDK's reader
 * sees each chunk and reports, once, the first line that passes `maxBytes` — the connection then ends the
 * child (a stream cut inside a message cannot be resynchronised safely).
 */
import type { Readable } from 'node:stream';

const NEWLINE = 0x0a;

/** Watches `stream` (a child's stdout); `onOver(bytes)` once a line passes `maxBytes`. Returns a stop function. */
export function watchLineLength(
  stream: Readable,
  maxBytes: number,
  onOver: (bytes: number) => void,
): () => void {
  let run = 0;
  const stop = () => stream.off('data', onData);
  function onData(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const first = buf.indexOf(NEWLINE);
    if (first === -1) run += buf.length;
    else {
      // the line the chunk ends, then every whole line in it, then the start of the next one
      let longest = run + first;
      for (
        let at = first, next = buf.indexOf(NEWLINE, at + 1);
        next !== -1;
        at = next, next = buf.indexOf(NEWLINE, at + 1)
      )
        longest = Math.max(longest, next - at - 1);
      run = buf.length - buf.lastIndexOf(NEWLINE) - 1;
      if (longest > maxBytes) run = longest;
    }
    if (run > maxBytes) {
      stop();
      onOver(run);
    }
  }
  stream.prependListener('data', onData);
  return stop;
}
