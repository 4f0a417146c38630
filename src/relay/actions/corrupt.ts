/**
 * `corrupt`: the answer is read whole and sent complete but malformed: each JSON message (the body, or
 * each SSE `data:` line) loses its closing brace and gains a NUL byte, so it no longer parses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerHeaders, isEventStream, readAnswer } from './pass.js';

export function corruptJson(text: string): string {
  return `${text.replace(/\}\s*$/, '')}\u0000`;
}

export function corruptAnswer(up: IncomingMessage, res: ServerResponse): void {
  const sse = isEventStream(up);
  readAnswer(up, (buf) => {
    if (res.destroyed) return;
    const text = buf.toString('utf8');
    const out = sse
      ? text.replace(/^data:(.*)$/gm, (_m, json: string) => `data:${corruptJson(json)}`)
      : corruptJson(text);
    const headers = answerHeaders(up, true);
    headers['content-length'] = String(Buffer.byteLength(out));
    res.writeHead(up.statusCode ?? 502, headers);
    res.end(out);
  });
}
