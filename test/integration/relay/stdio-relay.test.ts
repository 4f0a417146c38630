/**
 * The stdio relay with real processes: an SDK client spawns the bridge, the bridge joins a TCP connection
 * to the relay, the relay runs a real stdio mock server. Every mcp action that applies on stdio, the log,
 * the server's pid, and a server that dies (the client sees the transport close).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/index.js';
import { CALL_META_KEY, mockServerCommand } from '../../../src/mock/index.js';
import { type StdioRelay, startStdioRelay, stdioBridgeCommand } from '../../../src/relay/index.js';
import { fixtures } from '../../helpers/fixtures.js';

const fx = fixtures();

async function relayed(): Promise<{ relay: StdioRelay; client: Client; closed: Promise<void> }> {
  const relay = fx.own(
    await startStdioRelay({
      command: mockServerCommand({ transport: 'stdio', name: 'stdio-under-relay' }),
      clock: systemClock,
    }),
    (r) => r.close(),
  );
  const [command, ...args] = stdioBridgeCommand(relay.host, relay.port);
  const transport = new StdioClientTransport({ command: command as string, args });
  const client = new Client({ name: 'relay-test', version: '1' });
  let onClose: () => void = () => {};
  const closed = new Promise<void>((r) => {
    onClose = r;
  });
  client.onclose = () => onClose();
  await client.connect(transport, { timeout: 20_000 });
  fx.own(client, (c) => c.close());
  return { relay, client, closed };
}

const echo = (client: Client, call: string, timeout = 5000) =>
  client.callTool(
    { name: 'echo', arguments: { message: call }, _meta: { [CALL_META_KEY]: call } },
    undefined,
    { timeout },
  );
const textOf = (r: unknown) => (r as { content: Array<{ text: string }> }).content[0]?.text;

describe('stdio relay', { timeout: 30_000 }, () => {
  it('passes MCP through, logs tool calls, and knows the real server’s pid', async () => {
    const { relay, client } = await relayed();
    expect(textOf(await echo(client, 'a1'))).toBe('a1');
    expect(relay.log.snapshot().records).toEqual([{ tool: 'echo', call: 'a1', t: expect.any(Number) }]);
    expect(relay.pid).toBeGreaterThan(0);
    expect(() => process.kill(relay.pid as number, 0)).not.toThrow();
  });

  it('error and versionSkew answer in the server’s place (logged as faulted, never executed)', async () => {
    const { relay, client } = await relayed();
    relay.setFault({ action: { kind: 'error', code: -32603, message: 'boom' }, match: { tool: 'echo' } });
    await expect(echo(client, 'e1')).rejects.toThrow(/boom/);
    relay.setFault({ action: { kind: 'versionSkew' }, match: { method: 'tools/call' } });
    await expect(echo(client, 'e2')).rejects.toThrow(/Unsupported protocol version/);
    relay.setFault(undefined);
    expect(textOf(await echo(client, 'e3'))).toBe('e3');
    expect(relay.log.snapshot().records.map((r) => [r.call, r.faulted])).toEqual([
      ['e1', 'error'],
      ['e2', 'versionSkew'],
      ['e3', undefined],
    ]);
  });

  it('delay holds the answer; hang drops it (the call times out); corrupt and truncate break it', async () => {
    const { relay, client } = await relayed();
    relay.setFault({ action: { kind: 'delay', ms: 300 } });
    const t0 = performance.now();
    expect(textOf(await echo(client, 'd1'))).toBe('d1');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    relay.setFault({ action: { kind: 'hang' }, match: { method: 'tools/call' } });
    await expect(echo(client, 'h1', 400)).rejects.toThrow(/timed out|Request timed out/i);
    relay.setFault({ action: { kind: 'corrupt' }, match: { method: 'tools/call' } });
    const corrupt = echo(client, 'c1', 400).catch((e: unknown) => e);
    relay.setFault({ action: { kind: 'truncate', share: 0.5 }, match: { method: 'tools/call' } });
    const truncated = echo(client, 't1', 400).catch((e: unknown) => e);
    // a line that does not parse never answers the request: the client gives up at its deadline
    expect(await corrupt).toBeInstanceOf(Error);
    expect(await truncated).toBeInstanceOf(Error);
    expect(relay.log.snapshot().records.map((r) => r.call)).toEqual(['d1', 'h1', 'c1', 't1']);
  });

  it('cutAfter cuts the connection in place of the answer: the client sees its server go', async () => {
    const { relay, client, closed } = await relayed();
    relay.setFault({ action: { kind: 'cutAfter', events: 0 }, match: { method: 'tools/call' } });
    await expect(echo(client, 'x1')).rejects.toThrow();
    await closed;
  });

  it('the server dying closes the connection; the bridge exits and the client sees it', async () => {
    const { relay, client, closed } = await relayed();
    expect(textOf(await echo(client, 'k0'))).toBe('k0');
    process.kill(relay.pid as number, 'SIGKILL');
    await closed;
    expect(relay.diagnostics()).toMatch(/signal SIGKILL/);
    await expect(echo(client, 'k1')).rejects.toThrow();
  });
});
