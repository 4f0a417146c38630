/**
 * The JSON-RPC error a server answered with, found along a thrown value's `cause` chain: what a gateway
 * passes on to its own client (a server's "resource not found" is the client's answer, not a failure of
 * the fleet). Both SDK lines: v1 `McpError`, v2 `ProtocolError` — recognised by shape (a numeric `code`
 * in the JSON-RPC range), not by class, so either line's error matches.
 */

export interface RpcErrorAnswer {
  code: number;
  message: string;
  data?: unknown;
}

/** The server's JSON-RPC error, if the failure is one; transport and local SDK errors give undefined. */
export function rpcErrorOf(e: unknown): RpcErrorAnswer | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 6 && cur !== null && typeof cur === 'object'; depth++) {
    const { code, message, data } = cur as { code?: unknown; message?: unknown; data?: unknown };
    // -32001 (request timeout) and -32000 "Connection closed" are the client's own, not the server's
    if (
      typeof code === 'number' &&
      Number.isInteger(code) &&
      code < 0 &&
      code !== -32001 &&
      code !== -32000
    ) {
      const text = typeof message === 'string' ? message.replace(/^MCP error -?\d+: /, '') : 'error';
      return data === undefined ? { code, message: text } : { code, message: text, data };
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
