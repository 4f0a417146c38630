/**
 * Builds one 2026-07-28-era SDK `McpServer` (v2, `@modelcontextprotocol/server`) with the same mock tools
 * (mock-tools.ts) behind the same {@link MockBehaviour} gate, the runtime tools of the moment
 * (runtime-tools.ts) and the era's own multi-round-trip tool `confirm` (confirm-tool.ts). 2026-07-28 has
 * no ping: its liveness probe, `server/discover`, is the SDK's own.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { CONFIRM_TOOL, CONFIRM_TOOL_SHAPE, confirmRound } from './confirm-tool.js';
import type { MockBehaviour } from './mock-behaviour.js';
import { gatedCall, MOCK_TOOLS, toolError } from './mock-tools.js';
import { type MockRuntimeTool, runRuntimeTool, runtimeToolDescription } from './runtime-tools.js';

interface ModernToolContext {
  mcpReq: {
    signal: AbortSignal;
    _meta?: unknown;
    inputResponses?: Record<string, unknown>;
    requestState: () => unknown;
  };
}

export function createModernMockServer(
  behaviour: MockBehaviour,
  name: string,
  runtimeTools: readonly MockRuntimeTool[] = [],
  version = '0.1.0',
): McpServer {
  const server = new McpServer({ name, version }, { capabilities: { tools: { listChanged: true } } });
  for (const tool of MOCK_TOOLS) {
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        inputSchema: z.object(tool.shape),
        annotations: { idempotentHint: tool.idempotent },
      },
      (args: Record<string, unknown>, ctx: ModernToolContext) =>
        gatedCall(tool, behaviour, args, ctx.mcpReq.signal, ctx.mcpReq._meta),
    );
  }
  server.registerTool(
    CONFIRM_TOOL,
    {
      description: 'Asks the client to confirm (input_required), then answers confirmed/declined <action>.',
      inputSchema: z.object(CONFIRM_TOOL_SHAPE),
      annotations: { idempotentHint: true },
    },
    async (args: Record<string, unknown>, ctx: ModernToolContext) => {
      const verdict = await behaviour.beforeToolCall(ctx.mcpReq.signal);
      if (verdict === 'inject-error')
        return toolError(`injected error (errorRate ${behaviour.settings.errorRate})`);
      behaviour.executions.record(CONFIRM_TOOL, ctx.mcpReq._meta, behaviour.clock.now());
      return confirmRound(args.action as string, ctx.mcpReq) as never;
    },
  );
  for (const tool of runtimeTools) {
    server.registerTool(
      tool.name,
      { description: runtimeToolDescription(tool), inputSchema: z.object({}) },
      (_args: unknown, ctx: ModernToolContext) => runRuntimeTool(tool, behaviour, ctx.mcpReq.signal),
    );
  }
  return server;
}
