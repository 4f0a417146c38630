/**
 * What a gateway client gets when something fails: the upstream server's own JSON-RPC error passes
 * through as it came (a "resource not found" is the client's answer); a refusal or failure of the manager
 * becomes a JSON-RPC error with {@link GATEWAY_FAILURE} and `data` carrying the manager's code
 * (`CIRCUIT_OPEN`, `NO_ENDPOINT`, `CALL_TIMEOUT`, …), the server and, where one was tried, the endpoint.
 * Never a stack trace.
 */
import { ProtocolError } from '@modelcontextprotocol/server';
import { isChaosError } from '../core/errors.js';
import { rpcErrorOf } from '../manager/index.js';

/** JSON-RPC code of a manager refusal or failure (implementation-defined server error range). */
export const GATEWAY_FAILURE = -32050;
/** JSON-RPC code for an unknown tool, prompt or resource name (MCP: invalid params). */
export const INVALID_PARAMS = -32602;
export const METHOD_NOT_FOUND = -32601;
export const INTERNAL_ERROR = -32603;

/** The JSON-RPC error a client gets for a failure while serving `server`. */
export function toClientError(e: unknown, server?: string): ProtocolError {
  if (e instanceof ProtocolError) return e;
  const upstream = rpcErrorOf(e);
  if (upstream !== undefined) {
    return new ProtocolError(upstream.code, upstream.message, upstream.data);
  }
  if (isChaosError(e)) {
    const d = e.details as Record<string, unknown>;
    const data: Record<string, unknown> = { code: e.code };
    for (const key of ['server', 'endpoint', 'tool', 'outcome', 'failureClass', 'retryAfterMs'])
      if (d[key] !== undefined) data[key] = d[key];
    if (data.server === undefined && server !== undefined) data.server = server;
    return new ProtocolError(GATEWAY_FAILURE, e.message, data);
  }
  return new ProtocolError(INTERNAL_ERROR, 'internal error', server === undefined ? undefined : { server });
}

export function invalidParams(message: string): ProtocolError {
  return new ProtocolError(INVALID_PARAMS, message);
}
