/** What the HTTP fetch reads of a JSON-RPC request body and of an answer's first bytes, cheaply. */

/**
 * The id of a JSON-RPC request body (method + id); undefined for notifications and answers. The SDK
 * serializes `{...request, jsonrpc, id}`, so the id usually comes last and a regex finds it cheaply — but
 * its answers to server requests (`{result, jsonrpc, id}`) end the same way, so the fast path needs a
 * `method` too: an answer taken for a request would skip the short deadline of side requests.
 */
export function requestIdOf(body: unknown): string | number | undefined {
  if (typeof body !== 'string') return undefined;
  const m = body.startsWith('{"method":') ? /"id":(\d+|"(?:[^"\\]|\\.)*")\}$/.exec(body) : null;
  if (m?.[1] !== undefined) return m[1].startsWith('"') ? (JSON.parse(m[1]) as string) : Number(m[1]);
  try {
    const parsed = JSON.parse(body) as { id?: unknown; method?: unknown };
    return typeof parsed.method === 'string' &&
      (typeof parsed.id === 'number' || typeof parsed.id === 'string')
      ? parsed.id
      : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON-RPC method of a request body (for error texts), `request` when unreadable. */
export function methodOf(body: unknown): string {
  if (typeof body !== 'string') return 'request';
  return /"method":"([^"\\]{1,64})"/.exec(body)?.[1] ?? 'request';
}

/** Whether a body's first chunk starts (after whitespace) like JSON rather than SSE. */
export function looksLikeJson(chunk: Uint8Array): boolean {
  for (const b of chunk) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    return b === 0x7b || b === 0x5b; // { [
  }
  return false;
}
