import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../src/cli/commands/proxy.js';
import { EXIT } from '../../../src/cli/exit-codes.js';
import { TOXIPROXY_READY_PREFIX } from '../../../src/proxy/index.js';
import { listenTcp, rawRequest } from './helpers.js';

function captureStderr() {
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('mcp-chaos proxy', () => {
  it('exits 2 on a bad flag or value', async () => {
    const err = captureStderr();
    expect(await run(['--bogus'])).toBe(EXIT.INVALID_INPUT);
    expect(await run(['--port', 'abc'])).toBe(EXIT.INVALID_INPUT);
    expect(await run(['--port', '70000'])).toBe(EXIT.INVALID_INPUT);
    expect(await run(['--seed', '1.5'])).toBe(EXIT.INVALID_INPUT);
    expect(await run(['extra'])).toBe(EXIT.INVALID_INPUT);
    expect(err.join('')).toContain('--port must be an integer, got "abc"');
  });

  it('refuses a non-loopback --host without --allow-remote', async () => {
    const err = captureStderr();
    expect(await run(['--host', '0.0.0.0'])).toBe(EXIT.INVALID_INPUT);
    expect(err.join('')).toContain('--host 0.0.0.0 is not a loopback address');
  });

  it('exits 3 when the port is in use', async () => {
    const taken = await listenTcp(() => {});
    const err = captureStderr();
    try {
      expect(await run(['--port', String(taken.port)])).toBe(EXIT.INFRASTRUCTURE);
      expect(err.join('')).toContain(`port ${taken.port} is already in use`);
    } finally {
      await taken.close();
    }
  });

  it('prints the URL once ready, serves the API and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'proxy', '--port', '0', '--seed', '3'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = new RegExp(`^${TOXIPROXY_READY_PREFIX}(http://\\S+)$`, 'm').exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code} before ready: ${out}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await rawRequest(url, 'GET', '/version')).status).toBe(200);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
