/**
 * Builds one 2026-07-28-era SDK `McpServer` (v2, `@modelcontextprotocol/server`) with the same mock tools
 * (mock-tools.ts) behind the same {@link MockBehaviour} gate. 2026-07-28 has no ping: its liveness probe,
 * `server/discover`, is the SDK's own.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { MockBehaviour } from './mock-behaviour.js';
import { gatedCall, MOCK_TOOLS } from './mock-tools.js';

export function createModernMockServer(behaviour: MockBehaviour, name: string, version = '0.1.0'): McpServer {
  const server = new McpServer({ name, version }, { capabilities: { tools: {} } });
  for (const tool of MOCK_TOOLS) {
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        inputSchema: z.object(tool.shape),
        annotations: { idempotentHint: tool.idempotent },
      },
      (args: Record<string, unknown>, ctx: { mcpReq: { signal: AbortSignal; _meta?: unknown } }) =>
        gatedCall(tool, behaviour, args, ctx.mcpReq.signal, ctx.mcpReq._meta),
    );
  }
  return server;
}
