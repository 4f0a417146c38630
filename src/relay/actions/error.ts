/** `error`: a JSON-RPC error answer (HTTP 200) in the server's place. */
import type { ServerResponse } from 'node:http';
import type { RequestInfo } from '../request-info.js';
import { writeRpcError } from './json-answer.js';

export function answerError(res: ServerResponse, info: RequestInfo, code: number, message: string): void {
  writeRpcError(res, 200, info.id, { code, message });
}
