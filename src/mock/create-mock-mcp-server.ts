/**
 * Builds one SDK `McpServer` with the mock tools, every call passing through the shared
 * {@link MockBehaviour} gate:
 * - `echo {message}` → the message
 * - `add {a, b}` → a + b
 * - `sleep {ms}` → waits ms (on the behaviour's clock), then `slept <ms>ms`
 * - `fail {message?}` → a tool error (`isError: true`)
 * - `big {bytes}` → a text of exactly `bytes` ASCII characters
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type CallToolResult, PingRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { MockBehaviour } from './mock-behaviour.js';

/** Largest `big` answer (bytes): 64 MiB. */
export const MAX_BIG_BYTES = 64 * 1024 * 1024;
/** Longest `sleep` (ms): one hour. */
export const MAX_SLEEP_MS = 3_600_000;

/** Names of the tools every mock server offers. */
export const MOCK_TOOL_NAMES = ['echo', 'add', 'sleep', 'fail', 'big'] as const;

export function createMockMcpServer(behaviour: MockBehaviour, name: string, version = '0.1.0'): McpServer {
  const server = new McpServer({ name, version }, { capabilities: { tools: {} } });
  type Extra = { signal: AbortSignal };

  const gated =
    <A>(fn: (args: A, extra: Extra) => Promise<CallToolResult> | CallToolResult) =>
    async (args: A, extra: Extra): Promise<CallToolResult> => {
      const verdict = await behaviour.beforeToolCall(extra.signal);
      if (verdict === 'inject-error')
        return toolError(`injected error (errorRate ${behaviour.settings.errorRate})`);
      return fn(args, extra);
    };

  server.registerTool(
    'echo',
    { description: 'Returns the message.', inputSchema: { message: z.string() } },
    gated(({ message }: { message: string }) => text(message)),
  );
  server.registerTool(
    'add',
    { description: 'Returns a + b.', inputSchema: { a: z.number(), b: z.number() } },
    gated(({ a, b }: { a: number; b: number }) => text(String(a + b))),
  );
  server.registerTool(
    'sleep',
    {
      description: 'Waits ms milliseconds, then answers.',
      inputSchema: { ms: z.number().min(0).max(MAX_SLEEP_MS) },
    },
    gated(async ({ ms }: { ms: number }, extra) => {
      await behaviour.sleep(ms, extra.signal);
      return text(`slept ${ms}ms`);
    }),
  );
  server.registerTool(
    'fail',
    { description: 'Answers with a tool error.', inputSchema: { message: z.string().optional() } },
    gated(({ message }: { message?: string }) => toolError(message ?? 'requested failure')),
  );
  server.registerTool(
    'big',
    {
      description: 'Returns a text of exactly `bytes` characters.',
      inputSchema: { bytes: z.number().int().min(0).max(MAX_BIG_BYTES) },
    },
    gated(({ bytes }: { bytes: number }) => text(bigText(bytes))),
  );

  // Replaces the SDK's built-in ping handler: hangs when the behaviour says so.
  server.server.setRequestHandler(PingRequestSchema, async (_request, extra) => {
    await behaviour.beforePing(extra.signal);
    return {};
  });
  return server;
}

/** A deterministic ASCII text of exactly `bytes` characters. */
export function bigText(bytes: number): string {
  const unit = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

function text(t: string): CallToolResult {
  return { content: [{ type: 'text', text: t }] };
}

function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
