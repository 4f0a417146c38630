/**
 * A third language of client: `python_client.py`, Python's standard library only (Streamable HTTP JSON-RPC
 * by hand), speaks 2025-11-25 (session, SSE answers) and 2026-07-28 (envelope in `_meta`, Mcp-Method
 * headers) to the gateway: lists, calls, reads a resource, gets a prompt, is refused 401/403/413/429, and
 * keeps working while an upstream replica is killed and restarted.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHandle, startGateway } from '../../../src/gateway/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { type EverythingServer, startEverything } from '../connection/fixtures/server-everything.js';
import { spawnCommand } from '../runner/cli-helpers.js';
import { gatewayConfig } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const TOKEN = 'python-token-0123456789abcdef';

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const python = hasPython();
if (!python) console.warn('gateway Python client test skipped: python3 is not on PATH');

describe.runIf(python)('gateway: a Python standard-library client', () => {
  let replicas: MockServerHandle[] = [];
  let everything: EverythingServer;
  let gw: GatewayHandle;
  let strict: GatewayHandle;

  beforeAll(async () => {
    replicas = [
      await startMockServer({ protocol: 'legacy', response: 'json' }),
      await startMockServer({ protocol: 'dual', response: 'json' }),
    ];
    everything = await startEverything('streamableHttp');
    const manager = {
      settings: { callTimeoutMs: 5000, health: { intervalMs: 100, timeoutMs: 300 } },
      servers: [
        { name: 'weather', endpoints: replicas.map((r) => ({ url: r.url })) },
        { name: 'everything', endpoints: [{ url: `http://127.0.0.1:${everything.port}/mcp` }] },
      ],
    };
    const tokens = { auth: { tokens: ['env:T'] } };
    gw = await startGateway({
      manager,
      gateway: gatewayConfig(
        { ...tokens, rate: { perClient: '100000/s', burst: 100000 }, maxBodyBytes: '256KiB' },
        { T: TOKEN },
      ),
      port: 0,
    });
    strict = await startGateway({
      manager,
      gateway: gatewayConfig({ ...tokens, rate: { perClient: '1/s', burst: 2 } }, { T: TOKEN }),
      port: 0,
    });
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
    await strict?.close();
    for (const r of replicas) await r.close();
    await everything?.stop();
  });

  it('tours both eras, is refused where it should be, and rides out a replica restart', async () => {
    const py = spawnCommand('python3', [join(here, 'python_client.py'), gw.url, TOKEN, strict.url, '4']);
    await py.waitFor(/LOAD_STARTED/, 30_000);
    const victim = replicas[0] as MockServerHandle;
    const port = victim.port;
    await victim.close();
    await expect
      .poll(() => gw.manager.snapshot().endpoints.find((e) => e.id === 'weather[0]')?.health, {
        timeout: 5000,
      })
      .toBe('unhealthy');
    replicas[0] = await startMockServer({ protocol: 'legacy', response: 'json', port });
    expect(await py.exited).toBe(0);
    const lines = py
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const step = (name: string) => lines.find((l) => l.step === name);
    expect(lines.filter((l) => l.step === 'tour').map((l) => l.era)).toEqual(['2025-11-25', '2026-07-28']);
    expect(step('tour')).toMatchObject({ version: '2025-11-25', prompt_messages: 1 });
    expect(step('refusals')).toEqual({
      step: 'refusals',
      no_token: 401,
      wrong_token: 401,
      wrong_origin: 403,
      oversized: 413,
      over_rate: 429,
    });
    const load = step('load') as { calls: number; failures: number; errors: string[] };
    expect(load.calls).toBeGreaterThan(20);
    expect(load).toMatchObject({ failures: 0, errors: [] });
  }, 60_000);
});
