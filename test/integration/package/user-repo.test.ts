/**
 * A user's repository, end to end: the project packed (`npm pack`), the tarball installed into a new
 * project that has an MCP server of its own (stdio, on the SDK the package brings) and a scenario of its
 * own; `npx mcp-chaos validate` and `run` work there with the documented exit codes, and the reports are
 * written. Nothing of this repository is on the path but the tarball.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), 'mcp-chaos-user-'));
const project = join(work, 'my-mcp-server');

/** Runs a command in the user's project; resolves with its exit code and output (never throws on exit ≠ 0). */
async function sh(cmd: string, args: string[], cwd = project) {
  try {
    const r = await exec(cmd, args, { cwd, timeout: 240_000, maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}

const SERVER = `// The user's own MCP server (stdio), on the SDK mcp-chaos brings along.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
const server = new McpServer({ name: 'greeter', version: '1.0.0' });
server.registerTool('greet', { description: 'Greets', inputSchema: { name: z.string() }, annotations: { idempotentHint: true } },
  async ({ name }) => ({ content: [{ type: 'text', text: 'hello ' + name }] }));
await server.connect(new StdioServerTransport());
`;

const SCENARIO = `name: greeter-survives-a-crash
description: The user's own stdio server is killed once under load; the manager restarts it and idempotent calls fail over to the second replica.
duration: 4s
servers:
  greeter:
    replicas: 2
    command: [node, ./server.mjs]
manager:
  callTimeout: 2s
load:
  - { server: greeter, tool: greet, args: { name: chaos }, rate: 20/s, idempotent: true }
faults:
  - { name: crash, at: 1s, target: "greeter[0]", process: kill }
invariants:
  - no-lost-calls: { slack: 1s }
thresholds:
  - availability >= 0.9
`;

describe('a user repository with mcp-chaos installed from the packed tarball', () => {
  beforeAll(async () => {
    const packed = await sh('npm', ['pack', '--silent', '--pack-destination', work], root);
    expect(packed.code, packed.out).toBe(0);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    await exec('mkdir', ['-p', join(project, 'chaos')]);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'my-mcp-server', private: true, type: 'module' }),
    );
    writeFileSync(join(project, 'chaos', 'server.mjs'), SERVER);
    writeFileSync(join(project, 'chaos', 'greeter.yaml'), SCENARIO);
    writeFileSync(join(project, 'bad.yaml'), 'name: x\nduration: soon\n');
    const installed = await sh('npm', ['install', '--no-audit', '--no-fund', join(work, tarball as string)]);
    expect(installed.code, installed.out).toBe(0);
    const du = await sh('du', ['-sk', 'node_modules']);
    const packages = await sh('npm', ['ls', '--all', '--parseable']);
    console.log(
      `installed from the tarball: ${du.out.split(/\s/)[0]} KiB in node_modules, ${packages.out.trim().split('\n').length - 1} packages`,
    );
  }, 300_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('validates: 0 for the user scenario, 2 with the place for a bad one', async () => {
    const ok = await sh('npx', ['mcp-chaos', 'validate', 'chaos']);
    expect(ok.code, ok.out).toBe(0);
    const bad = await sh('npx', ['mcp-chaos', 'validate', 'bad.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/bad\.yaml:2:\d+: duration/);
  }, 120_000);

  it('runs the scenario against the user server and writes every report', async () => {
    const r = await sh('npx', [
      'mcp-chaos',
      'run',
      'chaos',
      '--report-dir',
      'reports',
      '--seed',
      '7',
      '--no-progress',
    ]);
    expect(r.code, r.out).toBe(0);
    const runs = readdirSync(join(project, 'reports')).filter((d) => d.endsWith('greeter-survives-a-crash'));
    expect(runs).toHaveLength(1);
    for (const f of ['journal.json', 'junit.xml', 'summary.md', 'report.html'])
      expect(existsSync(join(project, 'reports', runs[0] as string, f)), f).toBe(true);
  }, 180_000);
});
