/**
 * Builds one 2025-era SDK `McpServer` (v1) with the mock tools (mock-tools.ts), every call passing through
 * the shared {@link MockBehaviour} gate, and a ping that hangs when the behaviour says so.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { PingRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { MockBehaviour } from './mock-behaviour.js';
import { gatedCall, MOCK_TOOLS } from './mock-tools.js';

export { bigText, MAX_BIG_BYTES, MAX_SLEEP_MS, MOCK_TOOL_NAMES } from './mock-tools.js';

export function createMockMcpServer(behaviour: MockBehaviour, name: string, version = '0.1.0'): McpServer {
  const server = new McpServer({ name, version }, { capabilities: { tools: {} } });
  for (const tool of MOCK_TOOLS) {
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        inputSchema: tool.shape,
        annotations: { idempotentHint: tool.idempotent },
      },
      (args: Record<string, unknown>, extra: { signal: AbortSignal; _meta?: unknown }) =>
        gatedCall(tool, behaviour, args, extra.signal, extra._meta),
    );
  }
  // Replaces the SDK's built-in ping handler: hangs when the behaviour says so.
  server.server.setRequestHandler(PingRequestSchema, async (_request, extra) => {
    await behaviour.beforePing(extra.signal);
    return {};
  });
  return server;
}
