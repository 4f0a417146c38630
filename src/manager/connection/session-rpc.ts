/**
 * The requests a connection makes on a session, whichever SDK line serves it: v1 (`@modelcontextprotocol/sdk`)
 * for the 2025 era, v2 (`@modelcontextprotocol/client`) for 2026-07-28. The base connection only ever
 * speaks through this.
 */
import type { Client as ModernClient } from '@modelcontextprotocol/client';
import type { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';

export interface RpcOptions {
  signal?: AbortSignal;
  /** The SDK's own request timeout (ms), a backstop behind our deadline. */
  timeout: number;
}

export interface SessionRpc {
  callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    o: RpcOptions,
    meta?: Record<string, unknown>,
  ): Promise<CallToolResult>;
  /** The liveness probe of the era: `ping` (2025), `server/discover` (2026-07-28, which has no ping). */
  probe(o: RpcOptions): Promise<void>;
  /** One page of `tools/list`. */
  listTools(cursor: string | undefined, o: RpcOptions): Promise<{ tools: Tool[]; nextCursor?: string }>;
}

export function legacyRpc(client: LegacyClient): SessionRpc {
  return {
    callTool: (name, args, o, meta) =>
      client.callTool(
        meta === undefined ? { name, arguments: args ?? {} } : { name, arguments: args ?? {}, _meta: meta },
        undefined,
        o,
      ) as Promise<CallToolResult>,
    probe: async (o) => {
      await client.ping(o);
    },
    listTools: (cursor, o) => client.listTools(cursor === undefined ? undefined : { cursor }, o),
  };
}

export function modernRpc(client: ModernClient): SessionRpc {
  return {
    callTool: (name, args, o, meta) =>
      client.callTool(
        meta === undefined ? { name, arguments: args ?? {} } : { name, arguments: args ?? {}, _meta: meta },
        o,
      ) as unknown as Promise<CallToolResult>,
    probe: async (o) => {
      await client.discover(o);
    },
    listTools: (cursor, o) =>
      client.listTools(cursor === undefined ? undefined : { cursor }, o) as unknown as Promise<{
        tools: Tool[];
        nextCursor?: string;
      }>,
  };
}
