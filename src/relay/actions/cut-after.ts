/**
 * `cutAfter: N`: an SSE answer is passed up to the end of its Nth event, then the connection is cut; 0 cuts
 * right after the headers. A JSON answer counts as one event (cut at 0, passed whole otherwise).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerHeaders, cut, isEventStream, pass } from './pass.js';

/** Bytes up to the end of the `n`th SSE event of `text` (events end with a blank line), or -1. */
export function endOfEvent(text: string, n: number): number {
  const re = /\r?\n\r?\n/g;
  let count = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (++count === n) return m.index + m[0].length;
  }
  return -1;
}

export function cutAfterAnswer(up: IncomingMessage, res: ServerResponse, events: number): void {
  if (!isEventStream(up)) {
    if (events >= 1) {
      pass(up, res);
      return;
    }
    res.writeHead(up.statusCode ?? 502, answerHeaders(up));
    up.destroy();
    cut(res);
    return;
  }
  res.writeHead(up.statusCode ?? 502, answerHeaders(up, true));
  if (events === 0) {
    up.destroy();
    cut(res);
    return;
  }
  let seen = '';
  let done = false;
  up.setEncoding('utf8');
  up.on('data', (chunk: string) => {
    if (done) return;
    const at = endOfEvent(seen + chunk, events);
    if (at < 0) {
      seen += chunk;
      res.write(chunk);
      return;
    }
    done = true;
    res.write((seen + chunk).slice(seen.length, at));
    up.destroy();
    cut(res);
  });
  up.on('end', () => {
    if (!done) res.end();
  });
}
