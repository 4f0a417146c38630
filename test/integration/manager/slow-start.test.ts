/**
 * Start-up that fits real servers: a stdio server that takes 7 s to start (as `npx -y` does while it
 * downloads one) is used by McpManager, by a scenario (`ready`) and behind the gateway (`--connect-timeout`),
 * each given 20 s; one that needs 40 s, given less, fails with a message that names the limit and shows
 * the child's last stderr lines — whole, in the terminal too. The server is the real server-everything,
 * started late by test/fixtures/support/slow-start.mjs.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, runScenario } from '../../../src/chaos/index.js';
import { McpManager } from '../../../src/manager/index.js';
import { CLI, spawnNode } from '../runner/cli-helpers.js';

const EVERYTHING = 'node_modules/@modelcontextprotocol/server-everything/dist/index.js';
const slowServer = (ms: number) => [
  'node',
  'test/fixtures/support/slow-start.mjs',
  String(ms),
  EVERYTHING,
  'stdio',
];
const textOf = (r: { content: unknown }) =>
  ((r.content as Array<{ text?: string }>)[0]?.text ?? '') as string;

describe('a stdio server slow to start', () => {
  it('McpManager: connectTimeout 20s lets a server that needs 7 s start, and it serves', {
    timeout: 40_000,
  }, async () => {
    const m = new McpManager({
      servers: [{ name: 'slow', endpoints: [{ command: slowServer(7000) }] }],
      settings: { connectTimeout: '20s', callTimeout: '5s', health: { probe: 'none' } },
    });
    try {
      await m.start();
      expect(m.snapshot().endpoints[0]?.startError).toBeUndefined();
      expect(textOf(await m.callTool('slow', 'echo', { message: 'late but here' }))).toContain(
        'late but here',
      );
    } finally {
      await m.close();
    }
  });

  it('McpManager: the first connect is bounded by connectTimeout (default 30 s), named with the server’s last output', {
    timeout: 20_000,
  }, async () => {
    const plain = new McpManager({ servers: [{ name: 's', endpoints: [{ command: slowServer(40_000) }] }] });
    expect(plain.registry.servers()[0]?.settings.connectTimeoutMs).toBe(30_000);
    await plain.close();
    const m = new McpManager({
      servers: [{ name: 'slow', endpoints: [{ command: slowServer(40_000) }] }],
      settings: { connectTimeout: '1500ms', health: { probe: 'none' } },
    });
    try {
      await m.start();
      const why = m.snapshot().endpoints[0]?.startError ?? '';
      expect(why).toMatch(/slow\[0\]: the first connect did not finish within 1500 ms \(connectTimeout\)/);
      expect(why).toContain('slow-start: still downloading');
    } finally {
      await m.close();
    }
  });

  it('a scenario: ready: 20s bounds a stdio server’s first connect, and the run passes', {
    timeout: 60_000,
  }, async () => {
    const r = await loadScenarioFile('test/fixtures/scenarios/slow-start/slow-start-stdio.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const j = await runScenario(r.scenario, { timeScale: 0.5 });
    expect(j.errors).toEqual([]);
    expect(j.verdict).toBe('passed');
    expect(j.summary.calls).toBeGreaterThan(0);
  });

  it('a scenario whose stdio server needs longer than ready: exit 3, the limit and the stderr tail in full', {
    timeout: 60_000,
  }, async () => {
    const p = spawnNode([
      ...CLI,
      'run',
      'test/fixtures/scenarios/slow-start/too-slow-start-stdio.yaml',
      '--report-dir',
      `${process.env.TMPDIR ?? '/tmp'}/mcp-chaos-slow-start`,
    ]);
    expect(await p.exited).toBe(3);
    const out = p.stdout() + p.stderr();
    // the whole message and the server's last output, wrapped onto lines of their own rather than cut
    const flat = out.replace(/\s+/g, ' ');
    expect(flat).toMatch(/slow\[0\]: the stdio server did not start: /);
    expect(flat).toContain('the first connect did not finish within 2000 ms (connectTimeout)');
    expect(flat).toContain(
      'slow-start: fetching the server, 40000 ms to go | slow-start: still downloading…',
    );
    expect(out).not.toMatch(/\(connectTimeout…/);
  });

  it('the gateway: --connect-timeout 20s serves a server that needs 7 s to start', {
    timeout: 60_000,
  }, async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'gw-slow-'));
    const cfg = join(dir, 'fleet.yaml');
    writeFileSync(
      cfg,
      `servers:\n  - name: slow\n    endpoints:\n      - command: ${JSON.stringify(slowServer(7000).map((a) => (a.startsWith('node_modules') || a.startsWith('test/') ? join(process.cwd(), a) : a)))}\n    settings: {health: {probe: none}}\n`,
    );
    const p = spawnNode([...CLI, 'gateway', '--config', cfg, '--port', '0', '--connect-timeout', '20s']);
    try {
      const url = (await p.waitFor(/gateway listening on (http:\/\/\S+)/, 40_000))[1] as string;
      const { legacyClient } = await import('../gateway/helpers.js');
      const c = await legacyClient(url);
      try {
        const r = await c.callTool({ name: 'slow__echo', arguments: { message: 'through the gateway' } });
        expect(textOf(r as { content: unknown })).toContain('through the gateway');
      } finally {
        await c.close();
      }
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
