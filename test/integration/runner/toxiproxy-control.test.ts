/** ToxiproxyControl against the embedded Toxiproxy over real HTTP: proxies, toxics, down, cleanup. */
import { connect, createServer, type Server } from 'node:net';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToxiproxyControl } from '../../../src/chaos/index.js';
import { isChaosError } from '../../../src/core/errors.js';
import { startToxiproxy, type ToxiproxyServer } from '../../../src/proxy/index.js';

let proxy: ToxiproxyServer;
let echo: Server;
let echoPort = 0;

beforeAll(async () => {
  proxy = await startToxiproxy({ port: 0, seed: 1 });
  echo = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as { port: number }).port;
});
afterAll(async () => {
  await proxy.close();
  await new Promise<void>((r) => echo.close(() => r()));
});

function roundTrip(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.write('ping'));
    s.setTimeout(2000, () => s.destroy(new Error('timeout')));
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString());
    });
    s.once('error', reject);
  });
}

describe('ToxiproxyControl', () => {
  it('reports the version, creates a proxy on an ephemeral port and deletes it', async () => {
    const c = new ToxiproxyControl(proxy.url);
    expect(await c.version()).toBe('2.12.0');
    const p = await c.createProxy('ctl-basic', `127.0.0.1:${echoPort}`);
    expect(p.host).toBe('127.0.0.1');
    expect(p.port).toBeGreaterThan(0);
    expect(await roundTrip(p.port)).toBe('ping');
    await c.deleteProxy('ctl-basic');
    await c.deleteProxy('ctl-basic'); // idempotent
    expect(Object.keys(await new Toxiproxy(proxy.url).getAll())).not.toContain('ctl-basic');
  });

  it('adds and removes toxics, disables and re-enables, and tracks what is still in place', async () => {
    const c = new ToxiproxyControl(proxy.url);
    const p = await c.createProxy('ctl-toxic', `127.0.0.1:${echoPort}`);
    const h = await c.addToxic('ctl-toxic', 'slow', {
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 150 },
    });
    expect(c.activeToxics()).toEqual([{ proxy: 'ctl-toxic', name: 'slow' }]);
    const t0 = performance.now();
    await roundTrip(p.port);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    await c.removeToxic(h);
    await c.removeToxic(h);
    expect(c.activeToxics()).toEqual([]);
    await c.setEnabled('ctl-toxic', false);
    expect(c.disabledProxies()).toEqual(['ctl-toxic']);
    await expect(roundTrip(p.port)).rejects.toThrow(/ECONNREFUSED/);
    await c.setEnabled('ctl-toxic', true);
    expect(c.disabledProxies()).toEqual([]);
    expect(await roundTrip(p.port)).toBe('ping');
    await c.deleteProxy('ctl-toxic');
    expect(c.createdProxies()).toEqual([]);
  });

  it('an unreachable API is an infrastructure error', async () => {
    const c = new ToxiproxyControl('http://127.0.0.1:1');
    const e = await c.version().catch((x: unknown) => x);
    expect(isChaosError(e, 'INFRASTRUCTURE')).toBe(true);
    expect(String((e as Error).message)).toMatch(/unreachable/);
  });

  it('a duplicate proxy name is an infrastructure error naming it', async () => {
    const c = new ToxiproxyControl(proxy.url);
    await c.createProxy('ctl-dup', `127.0.0.1:${echoPort}`);
    await expect(c.createProxy('ctl-dup', `127.0.0.1:${echoPort}`)).rejects.toThrow(/ctl-dup/);
    await c.deleteProxy('ctl-dup');
  });
});
