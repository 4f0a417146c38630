/**
 * Reads a request body up to a limit: a declared Content-Length over it is refused before reading, a
 * body that grows past it is cut off. Parses it as JSON.
 */
import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { ok: true; body: unknown }
  | { ok: false; status: 400 | 413 | 415; message: string };

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(type)) {
    req.resume();
    return {
      ok: false,
      status: 415,
      message: `Content-Type must be application/json, got ${JSON.stringify(type)}`,
    };
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return {
      ok: false,
      status: 413,
      message: `request body of ${declared} bytes is over the limit of ${maxBytes}`,
    };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      req.resume();
      return { ok: false, status: 413, message: `request body is over the limit of ${maxBytes} bytes` };
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, status: 400, message: 'Parse error: the body is not valid JSON' };
  }
}
