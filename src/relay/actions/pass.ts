/**
 * Passing an upstream answer to the client, and the pieces the spoiling actions share: the answer's
 * headers without hop-by-hop ones, reading a whole answer (bounded), and cutting the client's connection
 * (FIN after what was written: the client sees the body or stream end early).
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Longest answer a spoiling action reads whole (bytes); a longer one is cut there. */
export const MAX_SHAPED_BODY = 8 * 1024 * 1024;

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'proxy-connection',
  'upgrade',
  'trailer',
]);

export function answerHeaders(up: IncomingMessage, dropLength = false): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(up.headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || (dropLength && k === 'content-length')) continue;
    out[k] = v;
  }
  return out;
}

export function isEventStream(up: IncomingMessage): boolean {
  return /^text\/event-stream\b/i.test(String(up.headers['content-type'] ?? ''));
}

/** The upstream answer, unchanged. */
export function pass(up: IncomingMessage, res: ServerResponse): void {
  res.writeHead(up.statusCode ?? 502, answerHeaders(up));
  up.pipe(res);
}

/** Reads the whole answer (up to {@link MAX_SHAPED_BODY}), then calls `done`. */
export function readAnswer(up: IncomingMessage, done: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  up.on('data', (c: Buffer) => {
    if (over) return;
    size += c.length;
    chunks.push(c);
    if (size >= MAX_SHAPED_BODY) {
      over = true;
      up.destroy();
      done(Buffer.concat(chunks).subarray(0, MAX_SHAPED_BODY));
    }
  });
  up.on('end', () => {
    if (!over) done(Buffer.concat(chunks));
  });
}

/** Ends the client's connection after what was written (headers included), the answer unfinished. */
export function cut(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  // once what was written (the headers at least) has gone out
  res.write(Buffer.alloc(0), () => socket.end());
}
