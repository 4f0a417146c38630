/**
 * Conformance, differentially: the official `@modelcontextprotocol/conformance` server suite (0.1.16,
 * which needs Node ≥ 22: run with the `node` package from the npm registry) judges the suite's fixture
 * server directly and through the gateway in front of it; every scenario must get the same verdict both
 * ways (here: all pass both ways). Skipped, saying why, when no Node 22 can be installed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHandle, startGateway } from '../../src/gateway/index.js';
import {
  type ConformanceServer,
  startConformanceServer,
} from '../integration/gateway/fixtures/conformance-server.js';
import { gatewayConfig } from '../integration/gateway/helpers.js';

const run = promisify(execFile);
const suite = createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/dist/index.js');
const NODE22 = ['-y', '-p', 'node@22', 'node'];

/** Why Node 22 cannot be had, or undefined when `npx -p node@22` runs. */
async function node22Missing(): Promise<string | undefined> {
  try {
    const { stdout } = await run('npx', [...NODE22, '--version'], { timeout: 180_000 });
    return /^v22\./.test(stdout.trim()) ? undefined : `npx -p node@22 gave ${stdout.trim()}`;
  } catch (e) {
    return `npx -p node@22 failed: ${(e as Error).message.split('\n')[0]}`;
  }
}

/** Runs the server suite against `url`; each scenario's verdict (`pass` or `fail (n failed)`). */
async function verdicts(url: string): Promise<Record<string, string>> {
  const out = mkdtempSync(join(tmpdir(), 'conformance-'));
  try {
    const r = await run('npx', [...NODE22, suite, 'server', '--url', url, '-o', out], {
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((e: { stdout?: string; stderr?: string }) => ({
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    }));
    const found: Record<string, string> = {};
    for (const m of r.stdout.matchAll(/^[✓✗] ([\w-]+): (\d+) passed, (\d+) failed$/gm)) {
      found[m[1] as string] = m[3] === '0' ? 'pass' : `fail (${m[3]} failed)`;
    }
    if (Object.keys(found).length === 0)
      throw new Error(`no summary from the suite:\n${r.stdout}\n${r.stderr}`);
    return found;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const missing = await node22Missing();
if (missing !== undefined) console.warn(`gateway conformance test skipped: ${missing}`);

describe.skipIf(missing !== undefined)(
  'gateway: the official conformance suite, directly and through the gateway',
  () => {
    let fixture: ConformanceServer;
    let gw: GatewayHandle;

    beforeAll(async () => {
      fixture = await startConformanceServer();
      gw = await startGateway({
        manager: {
          settings: { callTimeoutMs: 10_000 },
          servers: [{ name: 'conformance', endpoints: [{ url: fixture.url }] }],
        },
        gateway: gatewayConfig({
          toolNames: '{tool}',
          resourceUris: 'as-is',
          rate: { perClient: '100000/s', burst: 100000 },
        }),
        port: 0,
      });
    }, 30_000);

    afterAll(async () => {
      await gw?.close();
      await fixture?.close();
    });

    it('gives every scenario the same verdict both ways, and every one passes', async () => {
      const direct = await verdicts(fixture.url);
      const through = await verdicts(gw.url);
      expect(Object.keys(direct).length).toBeGreaterThanOrEqual(30);
      expect(through).toEqual(direct);
      expect(Object.entries(direct).filter(([, v]) => v !== 'pass')).toEqual([]);
    }, 300_000);
  },
);
