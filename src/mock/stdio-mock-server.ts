/**
 * Mock MCP server over stdio: one `McpServer` on a `StdioServerTransport`. Nothing but protocol messages
 * may reach `stdout`. The host decides what a crash means (`onCrash`: the CLI exits the process).
 */
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMockMcpServer } from './create-mock-mcp-server.js';
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
