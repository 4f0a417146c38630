/**
 * `--stdio` framing. Before: a line over 10 MB made the gateway stop reading stdin, write and log nothing
 * and never exit; a line that was not JSON was dropped without an answer. Now a bad line gets a -32700
 * parse error (and the next request is served); an oversized one ends the gateway, saying why.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStdioGateway } from '../../../src/gateway/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { gatewayConfig } from '../gateway/helpers.js';

/** Lines written to `out`, parsed, as they come. */
function lines(out: PassThrough): unknown[] {
  const got: unknown[] = [];
  let buf = '';
  out.on('data', (d: Buffer) => {
    buf += d.toString();
    let i = buf.indexOf('\n');
    while (i >= 0) {
      got.push(JSON.parse(buf.slice(0, i)));
      buf = buf.slice(i + 1);
      i = buf.indexOf('\n');
    }
  });
  return got;
}

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'framing', version: '1' } },
};

describe('gateway --stdio: framing errors', () => {
  let upstream: MockServerHandle;
  beforeAll(async () => {
    upstream = await startMockServer({ protocol: 'legacy', response: 'json' });
  });
  afterAll(async () => {
    await upstream?.close();
  });

  const start = async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const got = lines(stdout);
    const warned: string[] = [];
    const log = {
      debug: () => {},
      info: () => {},
      warn: (_o: unknown, m: string) => warned.push(m),
      error: (_o: unknown, m: string) => warned.push(m),
    };
    const gw = await startStdioGateway({
      manager: {
        settings: { health: { probe: 'none' } },
        servers: [{ name: 'up', endpoints: [{ url: upstream.url }] }],
      },
      gateway: gatewayConfig(),
      stdin,
      stdout,
      log,
    });
    return { stdin, got, warned, gw };
  };

  it('a line that is not JSON gets -32700 and a warning; the next request is served', async () => {
    const { stdin, got, warned, gw } = await start();
    try {
      stdin.write('this is not json\n');
      await expect.poll(() => got.length).toBe(1);
      expect(got[0]).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
      expect(warned.some((m) => /not a JSON-RPC message/.test(m))).toBe(true);
      stdin.write(`${JSON.stringify(INIT)}\n`);
      await expect.poll(() => got.length).toBe(2);
      expect(got[1]).toMatchObject({ id: 1, result: { serverInfo: { name: 'mcp-chaos-gateway' } } });
      expect(gw.unusable).toBeUndefined();
    } finally {
      await gw.close();
    }
  });

  it('a message over 10 MB: the client is told, the gateway logs it and stops (unusable)', async () => {
    const { stdin, got, warned, gw } = await start();
    try {
      const chunk = 'x'.repeat(1024 * 1024);
      stdin.write('{"jsonrpc":"2.0","id":2,"method":"ping","params":{"pad":"');
      for (let i = 0; i < 11; i++) stdin.write(chunk);
      await gw.done;
      expect(gw.unusable).toMatch(/over the 10485760 byte limit: the input is unusable/);
      expect(got.at(-1)).toMatchObject({ id: null, error: { code: -32700 } });
      expect(warned.some((m) => /input is unusable/.test(m))).toBe(true);
    } finally {
      await gw.close();
    }
  });
});
