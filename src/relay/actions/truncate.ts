/**
 * `truncate: s`: the answer is read whole, then only its first share `s` of bytes is sent (a declared
 * Content-Length is kept) and the connection is cut: the client gets a body that ends early.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerHeaders, cut, readAnswer } from './pass.js';

export function truncateAnswer(up: IncomingMessage, res: ServerResponse, share: number): void {
  readAnswer(up, (body) => {
    if (res.destroyed) return;
    res.writeHead(up.statusCode ?? 502, answerHeaders(up));
    res.write(body.subarray(0, Math.floor(body.length * share)));
    cut(res);
  });
}
