import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { bigText, createMockMcpServer, MOCK_TOOL_NAMES, MockBehaviour } from '../../../src/mock/index.js';

const base = { errorRate: 0, hang: false, answerPing: true };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function connect(behaviour: MockBehaviour) {
  const server = createMockMcpServer(behaviour, 'unit');
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'unit-test', version: '1' });
  await server.connect(b);
  await client.connect(a);
  cleanups.push(async () => {
    behaviour.close();
    await client.close();
    await server.close();
  });
  return client;
}

const textOf = (r: unknown) =>
  ((r as { content: Array<{ text: string }> }).content[0] as { text: string }).text;

describe('mock MCP tools (in-memory transport)', () => {
  it('lists every tool', async () => {
    const client = await connect(new MockBehaviour(base, 1));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...MOCK_TOOL_NAMES].sort());
  });

  it('echo, add, fail and big answer as documented', async () => {
    const client = await connect(new MockBehaviour(base, 1));
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'héllo' } }))).toBe('héllo');
    expect(textOf(await client.callTool({ name: 'add', arguments: { a: 2.5, b: -7 } }))).toBe('-4.5');
    const fail = await client.callTool({ name: 'fail', arguments: { message: 'boom' } });
    expect(fail.isError).toBe(true);
    expect(textOf(fail)).toBe('boom');
    expect((await client.callTool({ name: 'fail', arguments: {} })).isError).toBe(true);
    const big = textOf(await client.callTool({ name: 'big', arguments: { bytes: 100_001 } }));
    expect(big.length).toBe(100_001);
    expect(big).toBe(bigText(100_001));
    const bad = await client.callTool({ name: 'big', arguments: { bytes: -1 } });
    expect(bad.isError).toBe(true);
  });

  it('sleep waits on the injected clock', async () => {
    const clock = new FakeClock();
    const client = await connect(new MockBehaviour(base, 1, { clock }));
    let done = false;
    const p = client.callTool({ name: 'sleep', arguments: { ms: 500 } }).then((r) => {
      done = true;
      return r;
    });
    await clock.advanceAsync(499);
    expect(done).toBe(false);
    await clock.advanceAsync(1);
    expect(textOf(await p)).toBe('slept 500ms');
  });

  it('errorRate 1 turns every tool call into an isError result; ping still answers', async () => {
    const client = await connect(new MockBehaviour({ ...base, errorRate: 1 }, 1));
    const r = await client.callTool({ name: 'echo', arguments: { message: 'x' } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/injected error/);
    await expect(client.ping()).resolves.toEqual({});
  });

  it('answerPing false: ping times out while tools answer', async () => {
    const client = await connect(new MockBehaviour({ ...base, answerPing: false }, 1));
    await expect(client.ping({ timeout: 50 })).rejects.toThrow(/timed out/i);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'ok' } }))).toBe('ok');
  });
});
