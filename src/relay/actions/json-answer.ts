/** Writes a JSON-RPC error answer with an HTTP status: what every answering action sends. */
import type { ServerResponse } from 'node:http';

export function writeRpcError(
  res: ServerResponse,
  status: number,
  id: string | number | null | undefined,
  error: { code: number; message: string; data?: unknown },
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ jsonrpc: '2.0', id: id ?? null, error });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}
