import { type ICreateToxicBody, type Latency, Toxiproxy, ToxiproxyError } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToxiproxy, type ToxiproxyServer } from '../../../src/proxy/index.js';
import { startEcho, tcpClient } from './helpers.js';

/**
 * The official client, unmodified, against the embedded server. Its `populate([])` throws (the server
 * answers `{"proxies":null}`, as the real one does), so callers guard an empty list — see populateGuarded.
 */
function populateGuarded(
  client: Toxiproxy,
  body: Parameters<Toxiproxy['populate']>[0],
): ReturnType<Toxiproxy['populate']> {
  return body.length === 0 ? Promise.resolve({}) : client.populate(body);
}

let server: ToxiproxyServer;
let echo: Awaited<ReturnType<typeof startEcho>>;
let client: Toxiproxy;

beforeAll(async () => {
  server = await startToxiproxy({ port: 0, seed: 9 });
  echo = await startEcho();
  client = new Toxiproxy(server.url);
});
afterAll(async () => {
  await server.close();
  await echo.close();
});

describe('toxiproxy-node-client against the embedded server', () => {
  it('getVersion', async () => {
    expect(await client.getVersion()).toBe('{"version": "2.12.0"}\n');
  });

  it('createProxy, get, getAll, update, remove', async () => {
    const upstream = `127.0.0.1:${echo.port}`;
    const created = await client.createProxy({ name: 'nc', listen: 'localhost:0', upstream });
    expect(created).toMatchObject({ name: 'nc', upstream, enabled: true });
    expect(created.listen).toMatch(/^127\.0\.0\.1:\d+$/);

    const fetched = await client.get('nc');
    expect(fetched.toJson()).toEqual(created.toJson());
    const all = await client.getAll();
    expect(Object.keys(all)).toEqual(['nc']);
    expect(all.nc?.listen).toBe(created.listen);

    const disabled = await created.update({ enabled: false, listen: created.listen, upstream });
    expect(disabled.enabled).toBe(false);
    const enabled = await disabled.update({ enabled: true, listen: created.listen, upstream });
    expect(enabled.enabled).toBe(true);

    const conn = tcpClient(Number(created.listen.split(':')[1]));
    conn.socket.write('ping');
    expect((await conn.waitFor(4)).toString()).toBe('ping');
    conn.socket.end();

    await enabled.remove();
    await expect(client.get('nc')).rejects.toBeInstanceOf(ToxiproxyError);
    await expect(client.get('nc')).rejects.toThrow('Request failed with status code 404');
  });

  it('createProxy reports 409 and 400 as errors', async () => {
    await client.createProxy({ name: 'dup', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    await expect(
      client.createProxy({ name: 'dup', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` }),
    ).rejects.toThrow('status code 409');
    await expect(client.createProxy({ name: 'x', listen: '127.0.0.1:0', upstream: '' })).rejects.toThrow(
      'status code 400',
    );
    await (await client.get('dup')).remove();
  });

  it('addToxic, getToxic, toxic.update, toxic.remove — live on an open connection', async () => {
    const proxy = await client.createProxy({
      name: 'tox',
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${echo.port}`,
    });
    const conn = tcpClient(Number(proxy.listen.split(':')[1]));
    await conn.ready;
    const body: ICreateToxicBody<Latency> = {
      name: 'slow',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 150, jitter: 0 },
    };
    const toxic = await proxy.addToxic(body);
    expect(toxic.toJson()).toEqual({ ...body });

    const started = performance.now();
    conn.socket.write('a');
    await conn.waitFor(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    const fetched = await proxy.getToxic<Latency>('slow');
    expect(fetched.attributes).toEqual({ latency: 150, jitter: 0 });
    const updated = await fetched.update({ ...body, attributes: { latency: 0, jitter: 0 } });
    expect(updated.attributes).toEqual({ latency: 0, jitter: 0 });

    await updated.remove();
    await expect(proxy.getToxic('slow')).rejects.toThrow('status code 404');
    conn.socket.destroy();
    await proxy.remove();
  });

  it('populate (with the [] guard) and reset', async () => {
    await expect(client.populate([])).rejects.toBeInstanceOf(TypeError); // the client's quirk, see populateGuarded
    expect(await populateGuarded(client, [])).toEqual({});
    const upstream = `127.0.0.1:${echo.port}`;
    const proxies = await populateGuarded(client, [
      { name: 'pa', listen: '127.0.0.1:0', upstream },
      { name: 'pb', listen: '127.0.0.1:0', upstream, enabled: false },
    ]);
    expect(Object.keys(proxies)).toEqual(['pa', 'pb']);
    expect(proxies.pb?.enabled).toBe(false);
    await proxies.pa?.addToxic({
      name: 't',
      type: 'timeout',
      stream: 'upstream',
      toxicity: 1,
      attributes: { timeout: 0 },
    });

    await client.reset();
    const after = await client.getAll();
    expect(after.pb?.enabled).toBe(true);
    const raw = (await (await fetch(`${server.url}/proxies/pa/toxics`)).json()) as unknown[];
    expect(raw).toEqual([]);
    for (const p of Object.values(after)) await p.remove();
  });
});
