/**
 * McpManager.listTools() against a real stateful HTTP mock whose tool list changes at runtime: the
 * catalogue is cached, dropped on the server's `notifications/tools/list_changed` (surfaced as a
 * `connection` event of kind `tools-changed`) and fetched again; it keeps working after the server
 * dropped the GET notification stream, with no calls at all (the health probes' requests reopen it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type ManagerEvent, McpManager } from '../../../src/manager/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { expectNoLeaks, resourceCounts } from './helpers.js';

const before = resourceCounts();
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Resolves with the next `tools-changed` connection event (rejects after `withinMs`). */
function nextToolsChanged(
  m: McpManager,
  withinMs = 5000,
): Promise<Extract<ManagerEvent, { type: 'connection' }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no tools-changed event within ${withinMs} ms`));
    }, withinMs);
    const sub = m.onEvent((e) => {
      if (e.type !== 'connection' || e.kind !== 'tools-changed') return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

async function setup(health: 'ping' | 'none') {
  const server: MockServerHandle = await startMockServer({ response: 'json', session: 'stateful' });
  cleanups.push(() => server.close());
  const m = new McpManager({
    servers: [{ name: 's', endpoints: [{ url: server.url }] }],
    settings: {
      callTimeoutMs: 2000,
      health: health === 'none' ? { probe: 'none' } : { intervalMs: 100, timeoutMs: 500, jitterMs: 10 },
    },
  });
  cleanups.push(() => m.close());
  await m.start();
  await expect.poll(() => server.stats().notificationStreams).toBe(1);
  return { server, m };
}

const names = async (m: McpManager) => (await m.listTools('s')).map((t) => t.name).sort();

describe('tool catalogue', () => {
  it('is cached, dropped on list_changed and fetched again', async () => {
    const { server, m } = await setup('none');
    expect(await names(m)).toEqual(['add', 'big', 'echo', 'fail', 'sleep']);
    const changed = nextToolsChanged(m);
    server.addTool({ name: 'forecast', description: 'new', text: 'sunny' });
    expect(await changed).toMatchObject({ type: 'connection', endpoint: 's[0]', kind: 'tools-changed' });
    const tools = await m.listTools('s');
    expect(tools.map((t) => t.name)).toContain('forecast');
    expect(tools.find((t) => t.name === 'forecast')?.description).toBe('new');
    expect((await m.callTool('s', 'forecast')).content).toEqual([{ type: 'text', text: 'sunny' }]);
    // Cached until the next change: the same array comes back.
    expect(await m.listTools('s')).toBe(await m.listTools('s'));
    const removed = nextToolsChanged(m);
    server.removeTool('forecast');
    await removed;
    expect(await names(m)).toEqual(['add', 'big', 'echo', 'fail', 'sleep']);
  });

  it('keeps arriving after the server dropped the GET stream, with no calls in between', async () => {
    const { server, m } = await setup('ping');
    expect(await names(m)).not.toContain('late');
    const reopened = nextToolsChanged(m);
    expect(await server.dropNotificationStreams()).toBe(1);
    expect(server.stats().notificationStreams).toBe(0);
    // No call from us: a health probe's ping reopens the stream, and the reopening drops the catalogue.
    expect((await reopened).detail).toMatch(/notification stream reopened/);
    expect(server.stats().notificationStreams).toBe(1);
    const changed = nextToolsChanged(m);
    server.addTool({ name: 'late' });
    expect((await changed).detail).not.toMatch(/reopened/);
    expect(await names(m)).toContain('late');
    expect(server.stats().sessions).toBe(1);
  });

  it('nothing is left behind after close()', async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await expectNoLeaks(before, 5000);
  });
});
