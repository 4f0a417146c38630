/**
 * Whether the gateway's answer to a request was a JSON-RPC error. On the 2025 wire an error travels in an
 * HTTP 200 (a JSON body or an SSE event), so the status alone calls it `ok`: an unknown tool counted as a
 * success. The answer's chunks are looked at as they are written — only their first bytes, where the SDK
 * puts the envelope (`{"jsonrpc":"2.0","id":…,"error":{`) — so a large result costs nothing to check.
 */
import type { ServerResponse } from 'node:http';

/** How far into each chunk the envelope is looked for (an SSE event's prefix plus the envelope's head). */
const HEAD_BYTES = 200;
const ERROR_ENVELOPE = /"jsonrpc":"2\.0","id":(?:-?\d{1,20}|"(?:[^"\\]|\\.){0,100}"|null),"error":\{/;

/** Watches what `res` writes; the returned function says whether a JSON-RPC error went out. */
export function watchAnswerErrors(res: ServerResponse): () => boolean {
  let errored = false;
  const look = (chunk: unknown) => {
    if (errored || chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const head =
      typeof chunk === 'string'
        ? chunk.slice(0, HEAD_BYTES)
        : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array
          ? Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, HEAD_BYTES)).toString(
              'latin1',
            )
          : '';
    if (ERROR_ENVELOPE.test(head)) errored = true;
  };
  const write = res.write.bind(res) as (...a: unknown[]) => boolean;
  const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
  res.write = ((...a: unknown[]) => {
    look(a[0]);
    return write(...a);
  }) as typeof res.write;
  res.end = ((...a: unknown[]) => {
    look(a[0]);
    return end(...a);
  }) as typeof res.end;
  return () => errored;
}
