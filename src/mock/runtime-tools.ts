/**
 * Tools added to (and removed from) a running mock server, on top of the built-in ones: what a server
 * whose catalogue changes looks like. Every live `McpServer` of the mock (one per stateful session, or the
 * stdio one) gets the change at once, and the SDK sends `notifications/tools/list_changed` to its client
 * (over Streamable HTTP: on the session's GET notification stream, if one is open); servers created later
 * start with the current set. A runtime tool takes no arguments and answers `text` (default
 * `<name> ok`), through the same behaviour gate as the built-in tools. A 2026-07-28 HTTP mock builds a
 * server per request from {@link RuntimeTools.list} and announces changes on its `subscriptions/listen`
 * streams (http-mock-server.ts).
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { MOCK_TOOL_NAMES } from './create-mock-mcp-server.js';
import type { MockBehaviour } from './mock-behaviour.js';

/** A tool added at runtime. */
export interface MockRuntimeTool {
  /** Tool name: non-empty, not one of the built-in tools. */
  name: string;
  /** Shown in `tools/list` (default `Added at runtime.`). */
  description?: string;
  /** What a call answers (default `<name> ok`). */
  text?: string;
}

const BUILT_IN = new Set<string>(MOCK_TOOL_NAMES);

/** Checks a runtime tool; RangeError quoting a bad value. */
export function validateRuntimeTool(tool: MockRuntimeTool): MockRuntimeTool {
  if (!tool || typeof tool !== 'object') throw new RangeError(`tool must be an object, got ${String(tool)}`);
  const { name, description, text } = tool;
  if (typeof name !== 'string' || name.length === 0)
    throw new RangeError(`tool name must be a non-empty string, got ${JSON.stringify(name)}`);
  if (BUILT_IN.has(name)) throw new RangeError(`tool name "${name}" is a built-in mock tool`);
  if (description !== undefined && typeof description !== 'string')
    throw new RangeError(`tool description must be a string, got ${JSON.stringify(description)}`);
  if (text !== undefined && typeof text !== 'string')
    throw new RangeError(`tool text must be a string, got ${JSON.stringify(text)}`);
  return {
    name,
    ...(description === undefined ? {} : { description }),
    ...(text === undefined ? {} : { text }),
  };
}

export class RuntimeTools {
  private readonly tools = new Map<string, MockRuntimeTool>();
  private readonly servers = new Map<McpServer, Map<string, RegisteredTool>>();

  constructor(private readonly behaviour: MockBehaviour) {}

  /** Names of the runtime tools now, in insertion order. */
  names(): string[] {
    return [...this.tools.keys()];
  }

  /** The runtime tools now (a 2026-07-28 mock registers them on each per-request server). */
  list(): MockRuntimeTool[] {
    return [...this.tools.values()];
  }

  /** Gives `server` the current runtime tools and keeps it up to date until it closes. */
  attach(server: McpServer): void {
    const registered = new Map<string, RegisteredTool>();
    this.servers.set(server, registered);
    for (const tool of this.tools.values()) registered.set(tool.name, this.register(server, tool));
    const previous = server.server.onclose;
    server.server.onclose = () => {
      this.servers.delete(server);
      previous?.();
    };
  }

  /** Adds a tool (or replaces one of the same name) on every live server. RangeError for a bad tool. */
  add(tool: MockRuntimeTool): void {
    const t = validateRuntimeTool(tool);
    this.tools.set(t.name, t);
    for (const [server, registered] of this.servers) {
      registered.get(t.name)?.remove();
      registered.set(t.name, this.register(server, t));
    }
  }

  /** Removes a runtime tool from every live server; false if there was none of that name. */
  remove(name: string): boolean {
    if (!this.tools.delete(name)) return false;
    for (const registered of this.servers.values()) {
      registered.get(name)?.remove();
      registered.delete(name);
    }
    return true;
  }

  private register(server: McpServer, tool: MockRuntimeTool): RegisteredTool {
    return server.registerTool(
      tool.name,
      { description: runtimeToolDescription(tool), inputSchema: {} },
      // v1 hands the handler `extra.signal`, v2 `ctx.mcpReq.signal`
      (_args: unknown, extra: { signal?: AbortSignal; mcpReq?: { signal: AbortSignal } }) =>
        runRuntimeTool(tool, this.behaviour, (extra.signal ?? extra.mcpReq?.signal) as AbortSignal),
    );
  }
}

export function runtimeToolDescription(tool: MockRuntimeTool): string {
  return tool.description ?? 'Added at runtime.';
}

/** A runtime tool's call, behind the behaviour's gate (either era). */
export async function runRuntimeTool(
  tool: MockRuntimeTool,
  behaviour: MockBehaviour,
  signal: AbortSignal,
): Promise<CallToolResult> {
  const verdict = await behaviour.beforeToolCall(signal);
  if (verdict === 'inject-error') {
    return {
      content: [{ type: 'text', text: `injected error (errorRate ${behaviour.settings.errorRate})` }],
      isError: true,
    };
  }
  return { content: [{ type: 'text', text: tool.text ?? `${tool.name} ok` }] };
}
