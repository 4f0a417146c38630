/**
 * What a relay needs to know of one MCP message to match faults and keep its log: the JSON-RPC method
 * (from the 2026-07-28 `Mcp-Method` header when present, else the body), the tool (`Mcp-Name`, else
 * `params.name` of a tools/call), the id (only requests are hit: notifications and answers pass), the
 * session and protocol version, and the load's logical call id from `_meta`.
 */
import { CALL_META_KEY } from '../core/execution-meta.js';

export interface RequestInfo {
  /** A JSON-RPC request (has a method and an id). */
  isRequest: boolean;
  method?: string;
  tool?: string;
  id?: string | number | null;
  /** The logical call id the load stamped in `_meta`. */
  call?: string;
  sessionId?: string;
  protocolVersion?: string;
}

type Headers = Record<string, string | string[] | undefined>;

function header(h: Headers, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Reads a parsed JSON-RPC message (undefined when the body was not JSON) and the HTTP headers. */
export function requestInfo(body: unknown, headers: Headers = {}): RequestInfo {
  const info: RequestInfo = { isRequest: false };
  const sessionId = header(headers, 'mcp-session-id');
  if (sessionId !== undefined) info.sessionId = sessionId;
  const msg =
    body !== null && typeof body === 'object' && !Array.isArray(body)
      ? (body as { method?: unknown; id?: unknown; params?: Record<string, unknown> })
      : undefined;
  const method = header(headers, 'mcp-method') ?? (typeof msg?.method === 'string' ? msg.method : undefined);
  if (method !== undefined) info.method = method;
  const id = msg?.id;
  if (typeof id === 'string' || typeof id === 'number' || id === null) info.id = id;
  info.isRequest = method !== undefined && msg !== undefined && 'id' in msg && typeof msg.method === 'string';
  const params = msg?.params;
  if (method === 'tools/call') {
    const tool = header(headers, 'mcp-name') ?? (typeof params?.name === 'string' ? params.name : undefined);
    if (tool !== undefined) info.tool = tool;
    const meta = params?._meta as Record<string, unknown> | undefined;
    const call = meta?.[CALL_META_KEY];
    if (typeof call === 'string' && call.length <= 64) info.call = call;
  }
  const version =
    header(headers, 'mcp-protocol-version') ??
    (method === 'initialize' && typeof params?.protocolVersion === 'string'
      ? params.protocolVersion
      : undefined);
  if (version !== undefined) info.protocolVersion = version;
  return info;
}
