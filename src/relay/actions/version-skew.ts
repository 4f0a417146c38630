/**
 * `versionSkew`: the server says it does not speak the request's protocol version — HTTP 400 with -32022,
 * naming the other era's version as the one supported (as a server of the other era answers).
 */
import type { ServerResponse } from 'node:http';
import type { RequestInfo } from '../request-info.js';
import { writeRpcError } from './json-answer.js';

export const UNSUPPORTED_PROTOCOL_VERSION = -32022;
const MODERN = '2026-07-28';
const LEGACY = '2025-11-25';

export function answerVersionSkew(res: ServerResponse, info: RequestInfo): void {
  const asked = info.protocolVersion ?? LEGACY;
  writeRpcError(res, 400, info.id, {
    code: UNSUPPORTED_PROTOCOL_VERSION,
    message: `Unsupported protocol version: ${asked} (mcp-chaos fault)`,
    data: { supported: [asked === MODERN ? LEGACY : MODERN], requested: asked },
  });
}
