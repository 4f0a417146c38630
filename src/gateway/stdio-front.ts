/**
 * `mcp-chaos gateway --stdio`: the gateway to one client over stdin/stdout (a desktop app launching it as
 * a local server). The SDK's `serveStdio` decides the era from the client's opening (2025 `initialize` or
 * a 2026-07-28 request) and pins one gateway server for the connection. Nothing but MCP goes to stdout.
 */
import type { Readable, Writable } from 'node:stream';
import type { Server } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import { type GatewayOptions, startGatewayCore } from './gateway.js';

export interface StdioGatewayOptions extends GatewayOptions {
  stdin?: Readable;
  stdout?: Writable;
}

export interface StdioGatewayHandle {
  readonly manager: import('../manager/index.js').McpManager;
  /** Resolves when the client closes stdin (or close() is called). */
  readonly done: Promise<void>;
  reload: import('./gateway.js').GatewayHandle['reload'];
  close(): Promise<void>;
}

export async function startStdioGateway(options: StdioGatewayOptions): Promise<StdioGatewayHandle> {
  const core = await startGatewayCore(options);
  const servers: Server[] = [];
  core.relay.attach({ legacy: () => servers.slice(-1) });
  const stdin = options.stdin ?? process.stdin;
  const transport = new StdioServerTransport(stdin, options.stdout ?? process.stdout);
  const handle = serveStdio(
    () => {
      const s = core.newServer();
      servers.push(s);
      if (servers.length > 2) servers.shift();
      return s;
    },
    { transport, onerror: (e) => options.log?.debug({ err: e.message }, 'stdio client error') },
  );
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await handle.close().catch(() => {});
      await core.close();
    })();
    return closing;
  };
  const done = new Promise<void>((resolve) => {
    stdin.once('end', resolve);
    stdin.once('close', resolve);
  }).then(close);
  return {
    manager: core.manager,
    done,
    async reload(next) {
      const result = await core.manager.reload(next.manager);
      core.setConfig(next.gateway);
      core.relay.changed();
      return result;
    },
    close,
  };
}
