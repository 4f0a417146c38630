/**
 * `mcp-chaos gateway` as a process: --help documents every flag; bad flags and configs exit 2 naming the
 * place, nothing started; a port in use exits 3; `--stdio` serves a client launched the way desktop apps
 * launch servers; saving the config file reloads it (a new server's tools appear, clients are told);
 * an invalid new config leaves the old one in force; SIGTERM drains and exits 0.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ModernClient } from '@modelcontextprotocol/client';
import { StdioClientTransport as ModernStdio } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { CLI, spawnNode } from '../runner/cli-helpers.js';
import { legacyClient, textOf } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'gw-cli-'));
const write = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

describe('mcp-chaos gateway (the command)', () => {
  let a: MockServerHandle;
  let b: MockServerHandle;
  beforeAll(async () => {
    a = await startMockServer({ protocol: 'legacy', response: 'json' });
    b = await startMockServer({ protocol: 'modern', response: 'json' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--help documents every flag', async () => {
    const p = spawnNode([...CLI, 'gateway', '--help']);
    expect(await p.exited).toBe(0);
    for (const flag of [
      '--config',
      '--host',
      '--port',
      '--stdio',
      '--allow-remote',
      '--connect-timeout',
      '--log-level',
      '--help',
    ])
      expect(p.stdout()).toContain(flag);
  }, 30_000);

  it('bad flags and configs exit 2, naming the place; nothing is started', async () => {
    const bad = write(
      'bad.yaml',
      `servers:\n  - name: a\n    endpoints: ["${a.url}"]\ngateway:\n  drian: 1s\n`,
    );
    const cases: [string[], RegExp][] = [
      [['--config', bad], /gateway\.drian \(5:3\): unknown key "drian" \(did you mean "drain"\?\)/],
      [['--config', join(dir, 'missing.yaml')], /file not found: .*missing\.yaml/],
      [['--config', bad, '--host', '0.0.0.0'], /not a loopback address: pass --allow-remote/],
      [
        [
          '--config',
          write('open.yaml', `servers:\n  - name: a\n    endpoints: ["${a.url}"]\n`),
          '--host',
          '0.0.0.0',
          '--allow-remote',
        ],
        /gateway\.auth\.tokens must list at least one token/,
      ],
      [['--port', '99999', '--config', bad], /--port must be an integer in \[0, 65535\]/],
      [['--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, re] of cases) {
      const p = spawnNode([...CLI, 'gateway', ...args]);
      expect(await p.exited, args.join(' ')).toBe(2);
      expect(p.stderr()).toMatch(re);
      expect(p.stdout()).toBe('');
    }
  }, 60_000);

  it('exits 3 when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const cfg = write('ok.yaml', `servers:\n  - name: a\n    endpoints: ["${a.url}"]\n`);
    const p = spawnNode([...CLI, 'gateway', '--config', cfg, '--port', String(port)]);
    expect(await p.exited).toBe(3);
    expect(p.stderr()).toMatch(/cannot listen on 127\.0\.0\.1:\d+/);
    taken.close();
  }, 30_000);

  it('--stdio serves a client that launches it as a local server, in either era', async () => {
    const cfg = write('stdio.yaml', `servers:\n  - name: a\n    endpoints: ["${a.url}"]\n`);
    const args = [...CLI, 'gateway', '--stdio', '--config', cfg];
    const legacy = new Client({ name: 'desktop-app', version: '1.0.0' });
    await legacy.connect(new StdioClientTransport({ command: process.execPath, args, stderr: 'pipe' }));
    try {
      expect((await legacy.listTools()).tools.map((t) => t.name)).toContain('a__echo');
      expect(textOf(await legacy.callTool({ name: 'a__add', arguments: { a: 1, b: 1 } }))).toBe('2');
    } finally {
      await legacy.close();
    }
    const modern = new ModernClient({ name: 'desktop-app', version: '2.0.0' }, {
      versionNegotiation: { mode: 'auto' },
    } as never);
    await modern.connect(new ModernStdio({ command: process.execPath, args, stderr: 'pipe' }));
    try {
      expect(
        (modern as unknown as { getNegotiatedProtocolVersion(): string }).getNegotiatedProtocolVersion(),
      ).toBe('2026-07-28');
      expect(textOf(await modern.callTool({ name: 'a__add', arguments: { a: 2, b: 2 } }))).toBe('4');
    } finally {
      await modern.close();
    }
  }, 60_000);

  it('reloads when the config file changes: new tools appear and clients are told; a bad file changes nothing', async () => {
    const cfg = write('reload.yaml', `servers:\n  - name: a\n    endpoints: ["${a.url}"]\n`);
    const p = spawnNode([...CLI, 'gateway', '--config', cfg, '--port', '0']);
    const url = (await p.waitFor(/gateway listening on (http:\/\/\S+)/, 20_000))[1] as string;
    const c = await legacyClient(url);
    let told = 0;
    c.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      told++;
    });
    const names = async () => (await c.listTools()).tools.map((t) => t.name);
    expect(await names()).not.toContain('b__echo');
    writeFileSync(
      cfg,
      `servers:\n  - name: a\n    endpoints: ["${a.url}"]\n  - name: b\n    endpoints: ["${b.url}"]\n`,
    );
    await expect.poll(names, { timeout: 10_000, interval: 100 }).toContain('b__echo');
    await expect.poll(() => told, { timeout: 5000 }).toBeGreaterThan(0);
    // the new endpoint takes calls once admitted (its first good probe): /readyz says when
    const readyz = url.replace(/\/mcp$/, '/readyz');
    await expect.poll(async () => (await fetch(readyz)).status, { timeout: 10_000, interval: 100 }).toBe(200);
    expect(textOf(await c.callTool({ name: 'b__echo', arguments: { message: 'new' } }))).toBe('new');
    writeFileSync(cfg, 'servers: [oops\n');
    await p.waitFor(/config not reloaded: the old one stays in force/, 10_000);
    expect(await names()).toContain('b__echo');
    p.child.kill('SIGHUP');
    await expect
      .poll(() => (p.stderr().match(/config not reloaded/g) ?? []).length, { timeout: 5000 })
      .toBe(2);
    await c.close();
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.stderr()).toMatch(/"msg":"stopped"/);
  }, 60_000);
});
