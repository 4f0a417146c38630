/**
 * `mcp-chaos gateway --stdio`: the gateway to one client over stdin/stdout (a desktop app launching it as
 * a local server). The SDK's `serveStdio` decides the era from the client's opening (2025 `initialize` or
 * a 2026-07-28 request) and pins one gateway server for the connection. Nothing but MCP goes to stdout.
 *
 * Framing errors are answered and logged: a line that is not JSON gets a -32700 parse error (id null) and
 * a warning; a message over the SDK's buffer (10 MB) makes the input unusable — the client is told so
 * (-32700), the gateway logs it, stops and reports `unusable` (the CLI exits 2), never hangs reading nothing.
 */
import type { Readable, Writable } from 'node:stream';
import type { Server } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import { type GatewayOptions, startGatewayCore } from './gateway.js';
import { stdioLineFilter } from './stdio-line-filter.js';

/** The SDK's read buffer: the largest message stdin may carry (bytes). */
const STDIO_MAX_MESSAGE = 10 * 1024 * 1024;

export interface StdioGatewayOptions extends GatewayOptions {
  stdin?: Readable;
  stdout?: Writable;
}

export interface StdioGatewayHandle {
  readonly manager: import('../manager/index.js').McpManager;
  /** Resolves when the client closes stdin, the input becomes unusable, or close() is called. */
  readonly done: Promise<void>;
  /** Why the input became unusable (a message over the buffer), if it did. */
  readonly unusable: string | undefined;
  reload: import('./gateway.js').GatewayHandle['reload'];
  close(): Promise<void>;
}

export async function startStdioGateway(options: StdioGatewayOptions): Promise<StdioGatewayHandle> {
  const core = await startGatewayCore(options);
  const servers: Server[] = [];
  core.relay.attach({ legacy: () => servers.slice(-1) });
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const parseError = (message: string) =>
    stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message } })}\n`);
  const filtered = stdin.pipe(
    stdioLineFilter(() => {
      options.log?.warn({}, 'stdio: a line that is not a JSON-RPC message: answered with a parse error');
      parseError('Parse error: not a JSON-RPC message');
    }),
  );
  const transport = new StdioServerTransport(filtered, stdout, { maxBufferSize: STDIO_MAX_MESSAGE });
  let unusable: string | undefined;
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const onerror = (e: Error) => {
    if (/exceeded maximum size/i.test(e.message)) {
      unusable = `a message on stdin is over the ${STDIO_MAX_MESSAGE} byte limit: the input is unusable`;
      options.log?.error({}, unusable);
      parseError(`Parse error: ${unusable}`);
      stop();
      return;
    }
    options.log?.warn({ err: e.message.slice(0, 200) }, 'stdio: a message could not be read');
    if (e instanceof SyntaxError || /JSON|parse/i.test(e.message))
      parseError('Parse error: not a JSON-RPC message');
  };
  const handle = serveStdio(
    () => {
      const s = core.newServer();
      servers.push(s);
      if (servers.length > 2) servers.shift();
      return s;
    },
    { transport, onerror },
  );
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await handle.close().catch(() => {});
      await core.close();
    })();
    return closing;
  };
  const done = Promise.race([
    new Promise<void>((resolve) => {
      stdin.once('end', resolve);
      stdin.once('close', resolve);
    }),
    stopped,
  ]).then(close);
  return {
    manager: core.manager,
    done,
    get unusable() {
      return unusable;
    },
    async reload(next) {
      const result = await core.manager.reload(next.manager);
      core.setConfig(next.gateway);
      core.relay.changed();
      return result;
    },
    close,
  };
}
