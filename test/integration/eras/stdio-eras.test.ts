/**
 * The manager against stdio mock servers of each era (spawned children): `auto` speaks 2026-07-28 to a
 * modern or dual child and 2025 to a legacy one; after a crash the child is restarted in the era already
 * found — no probe, no throwaway process; a pinned era the child does not speak fails with PROTOCOL_VERSION.
 */
import { describe, expect, it } from 'vitest';
import { isChaosError } from '../../../src/core/errors.js';
import { type ManagerEvent, McpManager } from '../../../src/manager/index.js';
import { type MockProtocol, mockServerCommand } from '../../../src/mock/index.js';
import { fixtures } from '../../helpers/fixtures.js';
import { expectNoLeaks, resourceCounts } from '../../helpers/leaks.js';

const fx = fixtures();

function manager(
  protocol: MockProtocol,
  mode: 'auto' | 'modern' | 'legacy' = 'auto',
  crashAfterCalls?: number,
) {
  const command = mockServerCommand({
    transport: 'stdio',
    protocol,
    ...(crashAfterCalls !== undefined ? { crashAfterCalls } : {}),
  });
  const m = fx.own(
    new McpManager({
      servers: [{ name: 's', endpoints: [{ command }] }],
      settings: { callTimeoutMs: 5000, protocol: mode, health: { probe: 'none' }, retry: { attempts: 1 } },
    }),
    (x) => x.close(),
  );
  const events: ManagerEvent[] = [];
  m.onEvent((e) => events.push(e));
  const kinds = () =>
    events.flatMap((e) => (e.type === 'connection' ? [e.kind === 'era' ? `era:${e.era}` : e.kind] : []));
  return { m, events, kinds };
}

const text = (r: { content: unknown }) => (r.content as Array<{ text: string }>)[0]?.text;

describe('manager across MCP eras (stdio)', () => {
  for (const [protocol, era] of [
    ['modern', 'modern'],
    ['dual', 'modern'],
    ['legacy', 'legacy'],
  ] as const) {
    it(`auto against a ${protocol} child speaks ${era}`, async () => {
      const before = resourceCounts();
      const { m, kinds } = manager(protocol);
      await m.start();
      expect(text(await m.callTool('s', 'echo', { message: 'hi' }))).toBe('hi');
      expect((await m.listTools('s')).map((t) => t.name)).toContain('echo');
      expect(kinds()[0]).toBe(`era:${era}`);
      await m.close();
      await expectNoLeaks(before, 5000);
    });
  }

  it('a crashed modern child restarts in the era already found, without another era event', async () => {
    const { m, kinds } = manager('modern', 'auto', 1);
    await m.start();
    expect(text(await m.callTool('s', 'echo', { message: 'a' }))).toBe('a');
    await m.callTool('s', 'echo', { message: 'b' }).catch(() => {}); // the crashing call
    await expect.poll(() => kinds().includes('process-restart'), { timeout: 5000 }).toBe(true);
    expect(text(await m.callTool('s', 'echo', { message: 'c' }))).toBe('c');
    expect(kinds().filter((k) => k.startsWith('era:'))).toEqual(['era:modern']);
  });

  it('legacy against a modern-only child: PROTOCOL_VERSION', async () => {
    const { m } = manager('modern', 'legacy');
    const e = await m.callTool('s', 'echo', { message: 'x' }).catch((x: unknown) => x);
    expect(isChaosError(e) && e.code).toBe('PROTOCOL_VERSION');
  });
});
