/**
 * What the macro benchmark calls: a bare SDK client (HTTP or stdio), an McpManager with one endpoint, and
 * an HTTP mock server in a child process. Each target's `call` is one `echo` tool call.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpManager } from '../src/manager/index.js';
import { type MockProtocol, mockServerCommand, parseMockReadyLine } from '../src/mock/index.js';

export type Call = () => Promise<unknown>;
export interface Target {
  call: Call;
  close: () => Promise<void>;
}

const ARGS = { message: 'hello' };
const TIMEOUT_MS = 10_000;

export async function bareHttp(url: string): Promise<Target> {
  const client = new Client({ name: 'bench-bare', version: '0.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return {
    call: () => client.callTool({ name: 'echo', arguments: ARGS }, undefined, { timeout: TIMEOUT_MS }),
    close: async () => {
      await transport.terminateSession().catch(() => {});
      await client.close();
    },
  };
}

export async function bareStdio(argv: string[]): Promise<Target> {
  const client = new Client({ name: 'bench-bare', version: '0.0.0' });
  const transport = new StdioClientTransport({ command: argv[0]!, args: argv.slice(1), stderr: 'ignore' });
  await client.connect(transport);
  return {
    call: () => client.callTool({ name: 'echo', arguments: ARGS }, undefined, { timeout: TIMEOUT_MS }),
    close: () => client.close(),
  };
}

export async function managed(endpoint: { url: string } | { command: string[] }): Promise<Target> {
  const manager = new McpManager({
    servers: [{ name: 'bench', endpoints: [endpoint] }],
    // Probes stay on (ping) but with a generous timeout: on a loaded 2-core machine a 250 ms probe timeout
    // marks the only endpoint unhealthy and the manager then (correctly) refuses calls.
    settings: { callTimeoutMs: TIMEOUT_MS, health: { intervalMs: 1000, timeoutMs: 2000 } },
    clientName: 'bench-manager',
  });
  await manager.start();
  // First call outside the timing: the connection may be lazy.
  await manager.callTool('bench', 'echo', ARGS);
  return { call: () => manager.callTool('bench', 'echo', ARGS), close: () => manager.close() };
}

/** Starts an HTTP mock as a child process; resolves with its URL once it prints its ready line. */
export async function childMock(
  protocol: MockProtocol = 'legacy',
): Promise<{ url: string; port: number; pid: number | undefined; close: () => Promise<void> }> {
  const argv = mockServerCommand({ protocol, session: 'stateful', response: 'json', name: 'bench', port: 0 });
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const ready = await new Promise<{ url: string; port: number }>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`mock child exited (${code}) before listening`)));
      createInterface({ input: child.stdout! }).on('line', (l) => {
        const r = parseMockReadyLine(l);
        if (r) resolve(r);
      });
    });
    return { ...ready, pid: child.pid, close };
  } catch (e) {
    await close();
    throw e;
  }
}
