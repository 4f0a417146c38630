import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockServerSpec, mockServerCommand, parseMockReadyLine } from '../../../src/mock/index.js';
import { connectClient, textOf } from './sdk-client.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function launch(spec: MockServerSpec | string[]) {
  const argv = Array.isArray(spec) ? [...mockServerCommand({}), ...spec] : mockServerCommand(spec);
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exited };
}

function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> });
    rl.on('line', (line) => {
      const r = parseMockReadyLine(line);
      if (r) {
        rl.close();
        resolve(r.url);
      }
    });
    child.once('exit', (code) => reject(new Error(`mock exited with ${code} before ready`)));
  });
}

describe('mcp-chaos mock (child process)', () => {
  it('http: prints the ready line, serves calls, exits 0 on SIGTERM', async () => {
    const { child, exited } = launch({ port: 0, latency: { fixedMs: 1 } });
    const url = await readyUrl(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const c = await connectClient(url);
    expect(textOf(await c.client.callTool({ name: 'echo', arguments: { message: 'child' } }))).toBe('child');
    await c.close();
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  });

  it('http: --crash-after exits the process with code 1', async () => {
    const { child, exited } = launch({ crashAfterCalls: 1 });
    const c = await connectClient(await readyUrl(child));
    await c.client.callTool({ name: 'echo', arguments: { message: '1' } });
    await expect(
      c.client.callTool({ name: 'echo', arguments: { message: '2' } }, undefined, { timeout: 3000 }),
    ).rejects.toThrow();
    const r = await exited;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/crashing after 1 calls/);
    await c.client.close();
  });

  it('stdio: nothing but protocol on stdout; serves tools; exits when stdin ends', async () => {
    const argv = mockServerCommand({ transport: 'stdio', errorRate: 0 });
    const transport = new StdioClientTransport({
      command: argv[0] as string,
      args: argv.slice(1),
      stderr: 'pipe',
    });
    const client = new Client({ name: 'cli-test', version: '1' });
    await client.connect(transport, { timeout: 20_000 });
    expect(textOf(await client.callTool({ name: 'add', arguments: { a: 20, b: 22 } }))).toBe('42');
    expect((await client.listTools()).tools).toHaveLength(5);
    const pid = transport.pid as number;
    await client.close(); // ends stdin; the SDK waits for the exit
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('stdio: --crash-after ends the child and the pending call fails at once', async () => {
    const argv = mockServerCommand({ transport: 'stdio', crashAfterCalls: 0 });
    const transport = new StdioClientTransport({
      command: argv[0] as string,
      args: argv.slice(1),
      stderr: 'pipe',
    });
    const client = new Client({ name: 'cli-test', version: '1' });
    await client.connect(transport, { timeout: 20_000 });
    const t0 = performance.now();
    await expect(client.callTool({ name: 'echo', arguments: { message: 'x' } })).rejects.toThrow(
      /Connection closed/,
    );
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('bad flags exit 2 with the problem on stderr and nothing started', async () => {
    const { exited } = launch(['--error-rate', '9']);
    const r = await exited;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/errorRate.*9/);
  });
});
