/**
 * `sessionExpired`: the 2025 era's answer to a request on a session the server no longer knows — HTTP 404
 * (a client must start a new session). Only requests that carry `Mcp-Session-Id` are hit.
 */
import type { ServerResponse } from 'node:http';
import type { RequestInfo } from '../request-info.js';
import { writeRpcError } from './json-answer.js';

export function answerSessionExpired(res: ServerResponse, info: RequestInfo): void {
  writeRpcError(res, 404, info.id, { code: -32001, message: 'Session not found (mcp-chaos fault)' });
}
