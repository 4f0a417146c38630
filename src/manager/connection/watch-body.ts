/** A Response whose body reports its chunks and its end (bounded-fetch.ts watches SSE answers with it). */

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Returns a Response whose body reports its end: `onDone()` once when it ends or is cancelled,
 * `onDone(error)` when reading it fails; `onChunk` sees every non-empty chunk before the reader does. A
 * response without a body reports at once.
 */
export function watchBody(
  response: Response,
  onDone: (error?: unknown) => void,
  onChunk?: (chunk: Uint8Array) => void,
): Response {
  const body = response.body;
  if (!body || NULL_BODY_STATUSES.has(response.status)) {
    onDone();
    return response;
  }
  const reader = body.getReader();
  let finished = false;
  const finish = (error?: unknown) => {
    if (finished) return;
    finished = true;
    onDone(error);
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(ctl) {
      try {
        const r = await reader.read();
        if (r.done) {
          finish();
          ctl.close();
          return;
        }
        if (onChunk && r.value.length > 0) onChunk(r.value);
        ctl.enqueue(r.value);
      } catch (e) {
        finish(e);
        ctl.error(e);
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  });
  return new Response(stream, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
