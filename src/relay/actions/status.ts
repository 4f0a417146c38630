/** `status`: an HTTP error status in the server's place (with `Retry-After` for 429/503 back-pressure). */
import type { ServerResponse } from 'node:http';
import type { RequestInfo } from '../request-info.js';
import { writeRpcError } from './json-answer.js';

export function answerStatus(
  res: ServerResponse,
  info: RequestInfo,
  status: number,
  retryAfterMs?: number,
): void {
  const headers: Record<string, string> = {};
  if (retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(retryAfterMs / 1000));
  writeRpcError(res, status, info.id, { code: -32000, message: `HTTP ${status} (mcp-chaos fault)` }, headers);
}
