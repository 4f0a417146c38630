import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToxiproxy } from '../../../src/proxy/index.js';
import { about } from '../../helpers/timing.js';
import { deadPort, listenTcp, rawRequest, startEcho, startServer, tcpClient } from './helpers.js';

type Started = Awaited<ReturnType<typeof startServer>>;
let t: Started;
let echo: Awaited<ReturnType<typeof startEcho>>;

beforeAll(async () => {
  t = await startServer({ metrics: true });
  echo = await startEcho();
});
afterAll(async () => {
  await t.server.close();
  await echo.close();
});

describe('forwarding', () => {
  it('passes 4 MB both ways byte-exact, with backpressure', async () => {
    const port = await t.createProxy('bulk', `127.0.0.1:${echo.port}`);
    const conn = tcpClient(port);
    const payload = randomBytes(4 * 1024 * 1024);
    conn.socket.write(payload);
    const back = await conn.waitFor(payload.length, 20_000);
    expect(back.equals(payload)).toBe(true);
    conn.socket.destroy();
    await t.call('DELETE', '/proxies/bulk');
  });

  it('a dead upstream gives connect-then-EOF, not ECONNREFUSED', async () => {
    const port = await t.createProxy('dead', `127.0.0.1:${await deadPort()}`);
    const end = await tcpClient(port).ended;
    expect(end.connected).toBe(true);
    expect(end.code).toBeUndefined();
    expect(end.data.length).toBe(0);
    await t.call('DELETE', '/proxies/dead');
  });

  it('EOF from the server closes the client too (no half-close)', async () => {
    const server = await listenTcp((socket) => socket.end('bye'));
    const port = await t.createProxy('fin', `127.0.0.1:${server.port}`);
    const end = await tcpClient(port).ended;
    expect(end.data.toString()).toBe('bye');
    expect(end.code).toBeUndefined();
    await t.call('DELETE', '/proxies/fin');
    await server.close();
  });
});

describe('enable, disable, delete, close', () => {
  it('disabling closes open connections and refuses new ones; enabling listens again', async () => {
    const port = await t.createProxy('toggle', `127.0.0.1:${echo.port}`);
    const open = tcpClient(port);
    open.socket.write('hi');
    await open.waitFor(2);
    expect((await t.call('POST', '/proxies/toggle', { enabled: false })).status).toBe(200);
    expect((await open.ended).data.toString()).toBe('hi');
    expect((await tcpClient(port).ended).code).toBe('ECONNREFUSED');
    expect((await t.call('POST', '/proxies/toggle', { enabled: true })).status).toBe(200);
    const again = tcpClient(port);
    again.socket.write('yo');
    expect((await again.waitFor(2)).toString()).toBe('yo');
    again.socket.destroy();
    await t.call('DELETE', '/proxies/toggle');
    expect((await tcpClient(port).ended).code).toBe('ECONNREFUSED');
  });

  it('deleting a proxy closes its connections', async () => {
    const port = await t.createProxy('del', `127.0.0.1:${echo.port}`);
    const open = tcpClient(port);
    await open.ready;
    await t.call('DELETE', '/proxies/del');
    const end = await open.ended;
    expect(end.connected).toBe(true);
  });

  it('close() is idempotent and closes the API, every listener and every connection', async () => {
    const own = await startServer();
    const port = await own.createProxy('x', `127.0.0.1:${echo.port}`);
    const open = tcpClient(port);
    await open.ready;
    await Promise.all([own.server.close(), own.server.close()]);
    await own.server.close();
    await open.ended;
    expect((await tcpClient(port).ended).code).toBe('ECONNREFUSED');
    await expect(rawRequest(own.server.url, 'GET', '/version')).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});

describe('live toxic changes', () => {
  it('add, update and remove apply to an open connection', async () => {
    const port = await t.createProxy('live', `127.0.0.1:${echo.port}`);
    const conn = tcpClient(port);
    await conn.ready;
    const trip = async (n: number) => {
      const started = performance.now();
      conn.socket.write('x');
      await conn.waitFor(n);
      return performance.now() - started;
    };
    // fast trips stay well below the smallest latency set here (600 ms)
    expect(await trip(1)).toBeLessThan(about(0));
    await t.call('POST', '/proxies/live/toxics', {
      name: 'l',
      type: 'latency',
      attributes: { latency: 600 },
    });
    const slow = await trip(2);
    expect(slow).toBeGreaterThanOrEqual(600);
    expect(slow).toBeLessThan(about(600));
    await t.call('POST', '/proxies/live/toxics/l', { attributes: { latency: 900 } });
    expect(await trip(3)).toBeGreaterThanOrEqual(900);
    await t.call('DELETE', '/proxies/live/toxics/l');
    expect(await trip(4)).toBeLessThan(about(0));
    conn.socket.destroy();
    await t.call('DELETE', '/proxies/live');
  });

  it('populate keeps an identical proxy and its open connections', async () => {
    const upstream = `127.0.0.1:${echo.port}`;
    const port = await t.createProxy('keep', upstream);
    const conn = tcpClient(port);
    await conn.ready;
    const answer = await t.call('POST', '/populate', [
      { name: 'keep', listen: `localhost:${port}`, upstream },
    ]);
    expect(answer.status).toBe(201);
    conn.socket.write('still');
    expect((await conn.waitFor(5)).toString()).toBe('still');
    conn.socket.destroy();
    await t.call('DELETE', '/proxies/keep');
  });
});

describe('metrics', () => {
  it('counts bytes per proxy and direction', async () => {
    const port = await t.createProxy('m', `127.0.0.1:${echo.port}`);
    const conn = tcpClient(port);
    conn.socket.write('12345');
    await conn.waitFor(5);
    conn.socket.destroy();
    const answer = await t.call('GET', '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
    const line = (name: string, direction: string) =>
      new RegExp(
        `^${name}\\{direction="${direction}",listener="127\\.0\\.0\\.1:${port}",proxy="m",upstream="[^"]+"\\} 5$`,
        'm',
      );
    for (const direction of ['upstream', 'downstream']) {
      expect(answer.body).toMatch(line('toxiproxy_proxy_received_bytes_total', direction));
      expect(answer.body).toMatch(line('toxiproxy_proxy_sent_bytes_total', direction));
    }
    await t.call('DELETE', '/proxies/m');
  });
});

describe('config at start-up', () => {
  it('creates the proxies of a config file (with toxics), and only logs problems', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'toxiproxy-'));
    const errors: string[] = [];
    const logger = {
      debug() {},
      info() {},
      warn() {},
      error: (f: Record<string, unknown>) => errors.push(String(f.err)),
    };
    try {
      const file = join(dir, 'toxiproxy.json');
      await writeFile(
        file,
        JSON.stringify([
          { name: 'one', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}`, enabled: true },
          {
            name: 'two',
            listen: '127.0.0.1:0',
            upstream: 'h:1',
            enabled: false,
            toxics: [{ type: 'latency', attributes: { latency: 5 } }],
          },
        ]),
      );
      const server = await startToxiproxy({ port: 0, config: file, logger });
      const all = JSON.parse((await rawRequest(server.url, 'GET', '/proxies')).body);
      expect(Object.keys(all)).toEqual(['one', 'two']);
      expect(all.two.toxics).toHaveLength(1);
      await server.close();

      const bad = await startToxiproxy({ port: 0, config: join(dir, 'missing.json'), logger });
      expect((await rawRequest(bad.url, 'GET', '/proxies')).body).toBe('{}');
      await bad.close();
      const invalid = await startToxiproxy({
        port: 0,
        config: [{ name: '', listen: ':0', upstream: 'x:1' }],
        logger,
      });
      await invalid.close();
      expect(errors).toHaveLength(2);
      expect(errors[1]).toBe('missing required field: name at proxy 1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails clearly when the API port is taken', async () => {
    const taken = await listenTcp(() => {});
    await expect(startToxiproxy({ port: taken.port })).rejects.toMatchObject({
      code: 'INFRASTRUCTURE',
      details: { code: 'EADDRINUSE' },
    });
    await taken.close();
  });
});
