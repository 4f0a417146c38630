/**
 * The tools every mock server offers, defined once for both SDK lines (create-mock-mcp-server.ts builds
 * the 2025 server on the v1 SDK, create-modern-mock-server.ts the 2026-07-28 one on v2):
 * - `echo {message}` → the message
 * - `add {a, b}` → a + b
 * - `sleep {ms}` → waits ms (on the behaviour's clock), then `slept <ms>ms`
 * - `fail {message?}` → a tool error (`isError: true`)
 * - `big {bytes}` → a text of exactly `bytes` ASCII characters
 * Every call passes the shared {@link MockBehaviour} gate first (latency, errors, hang, crash).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { MockBehaviour } from './mock-behaviour.js';

/** Largest `big` answer (bytes): 64 MiB. */
export const MAX_BIG_BYTES = 64 * 1024 * 1024;
/** Longest `sleep` (ms): one hour. */
export const MAX_SLEEP_MS = 3_600_000;

export interface MockTool {
  name: string;
  description: string;
  /** The arguments, as a zod shape. */
  shape: z.ZodRawShape;
  /** Repeating the call does no harm (the `idempotentHint` annotation). */
  idempotent: boolean;
  run(args: Record<string, unknown>, signal: AbortSignal, behaviour: MockBehaviour): Promise<CallToolResult>;
}

export const MOCK_TOOLS: readonly MockTool[] = [
  {
    name: 'echo',
    description: 'Returns the message.',
    shape: { message: z.string() },
    idempotent: true,
    run: async (a) => text(a.message as string),
  },
  {
    name: 'add',
    description: 'Returns a + b.',
    shape: { a: z.number(), b: z.number() },
    idempotent: true,
    run: async (a) => text(String((a.a as number) + (a.b as number))),
  },
  {
    name: 'sleep',
    description: 'Waits ms milliseconds, then answers.',
    shape: { ms: z.number().min(0).max(MAX_SLEEP_MS) },
    idempotent: true,
    run: async (a, signal, behaviour) => {
      await behaviour.sleep(a.ms as number, signal);
      return text(`slept ${a.ms}ms`);
    },
  },
  {
    name: 'fail',
    description: 'Answers with a tool error.',
    shape: { message: z.string().optional() },
    idempotent: true,
    run: async (a) => toolError((a.message as string | undefined) ?? 'requested failure'),
  },
  {
    name: 'big',
    description: 'Returns a text of exactly `bytes` characters.',
    shape: { bytes: z.number().int().min(0).max(MAX_BIG_BYTES) },
    idempotent: true,
    run: async (a) => text(bigText(a.bytes as number)),
  },
];

/** Names of the tools every mock server offers. */
export const MOCK_TOOL_NAMES = MOCK_TOOLS.map((t) => t.name);

/**
 * Runs `tool` behind the behaviour's gate (an injected error answers as a tool error); a call that runs is
 * recorded in the execution log with its request's `_meta`.
 */
export async function gatedCall(
  tool: MockTool,
  behaviour: MockBehaviour,
  args: Record<string, unknown>,
  signal: AbortSignal,
  meta: unknown,
): Promise<CallToolResult> {
  const verdict = await behaviour.beforeToolCall(signal);
  if (verdict === 'inject-error')
    return toolError(`injected error (errorRate ${behaviour.settings.errorRate})`);
  behaviour.executions.record(tool.name, meta, behaviour.clock.now());
  return tool.run(args, signal, behaviour);
}

/** A deterministic ASCII text of exactly `bytes` characters. */
export function bigText(bytes: number): string {
  const unit = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

function text(t: string): CallToolResult {
  return { content: [{ type: 'text', text: t }] };
}

export function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
