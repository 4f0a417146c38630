/**
 * Mock MCP server over stdio: one `McpServer` on a `StdioServerTransport`. Nothing but protocol messages
 * may reach `stdout`. The host decides what a crash means (`onCrash`: the CLI exits the process).
 * `protocol: modern | dual` serves through the v2 SDK's `serveStdio` (the opening exchange picks the era;
 * `modern` rejects a 2025 `initialize` with -32022, `dual` serves it); runtime tools in every era.
 */
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  StdioServerTransport as ModernStdioServerTransport,
  serveStdio,
} from '@modelcontextprotocol/server/stdio';
import { createMockMcpServer } from './create-mock-mcp-server.js';
import { createModernMockServer } from './create-modern-mock-server.js';
import type { Execution } from './execution-log.js';
import { MockBehaviour, type MockBehaviourOptions } from './mock-behaviour.js';
import { type MockBehaviourUpdate, type MockServerSpec, resolveMockServerSpec } from './mock-server-spec.js';
import { type MockRuntimeTool, RuntimeTools } from './runtime-tools.js';

export interface StdioMockServerOptions extends MockBehaviourOptions {
  /** Input stream (default process.stdin). */
  stdin?: Readable;
  /** Output stream (default process.stdout). */
  stdout?: Writable;
  /** Called once when `crashAfterCalls` is exceeded (the CLI exits the process from here). */
  onCrash?: () => void;
}

export interface StdioMockServerHandle {
  /** Closes the server and the transport (does not end the streams). Idempotent. */
  close(): Promise<void>;
  stats(): { calls: number };
  /** Every tool call it executed (see execution-log.ts). */
  executions(): { executions: Execution[]; dropped: number };
  setBehaviour(update: MockBehaviourUpdate): void;
  /** Adds a tool at runtime (the client gets `notifications/tools/list_changed`); see runtime-tools.ts. */
  addTool(tool: MockRuntimeTool): void;
  /** Removes a tool added with addTool; false if there was none. */
  removeTool(name: string): boolean;
  /** Resolves when the transport closes (close() or the peer went away). */
  readonly closed: Promise<void>;
}

/** Starts a stdio mock server; resolves once it reads its input. */
export async function startStdioMockServer(
  spec: MockServerSpec = {},
  options: StdioMockServerOptions = {},
): Promise<StdioMockServerHandle> {
  const s = resolveMockServerSpec({ ...spec, transport: 'stdio' });
  const behaviour = new MockBehaviour(s, s.seed, options);
  behaviour.onCrash(() => options.onCrash?.());
  if (s.protocol !== 'legacy') return serveModern(s.protocol, s.name, behaviour, options);
  const server = createMockMcpServer(behaviour, s.name);
  const runtimeTools = new RuntimeTools(behaviour);
  runtimeTools.attach(server);
  const transport = new StdioServerTransport(options.stdin, options.stdout);
  let markClosed: () => void = () => {};
  const closed = new Promise<void>((r) => {
    markClosed = r;
  });
  transport.onclose = () => {
    behaviour.close();
    markClosed();
  };
  await server.connect(transport);
  let closing: Promise<void> | undefined;
  return {
    closed,
    stats: () => ({ calls: behaviour.calls }),
    executions: () => behaviour.executions.snapshot(),
    setBehaviour: (update) => behaviour.update(update),
    addTool: (tool) => runtimeTools.add(tool),
    removeTool: (name) => runtimeTools.remove(name),
    close: () => {
      closing ??= (async () => {
        behaviour.close();
        await server.close().catch(() => {});
        markClosed();
      })();
      return closing;
    },
  };
}

/** 2026-07-28 over stdio (and 2025 too for `dual`) through the v2 SDK's serveStdio. */
function serveModern(
  protocol: 'modern' | 'dual',
  name: string,
  behaviour: MockBehaviour,
  options: StdioMockServerOptions,
): StdioMockServerHandle {
  let markClosed: () => void = () => {};
  const closed = new Promise<void>((r) => {
    markClosed = r;
  });
  const transport = new ModernStdioServerTransport(options.stdin, options.stdout);
  // One server is pinned per connection: runtime tools are registered on it (the v2 SDK's McpServer has the
  // same registerTool/remove), and its list_changed reaches the client's subscriptions/listen stream.
  const runtimeTools = new RuntimeTools(behaviour);
  const handle = serveStdio(
    () => {
      const server = createModernMockServer(behaviour, name);
      runtimeTools.attach(server as unknown as Parameters<RuntimeTools['attach']>[0]);
      return server;
    },
    {
      legacy: protocol === 'modern' ? 'reject' : 'serve',
      transport,
    },
  );
  const previous = transport.onclose;
  transport.onclose = () => {
    previous?.();
    behaviour.close();
    markClosed();
  };
  let closing: Promise<void> | undefined;
  return {
    closed,
    stats: () => ({ calls: behaviour.calls }),
    executions: () => behaviour.executions.snapshot(),
    setBehaviour: (update) => behaviour.update(update),
    addTool: (tool) => runtimeTools.add(tool),
    removeTool: (name) => runtimeTools.remove(name),
    close: () => {
      closing ??= (async () => {
        behaviour.close();
        await handle.close().catch(() => {});
        markClosed();
      })();
      return closing;
    },
  };
}
