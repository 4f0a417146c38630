import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError, expectJson, proxyBody, REQUEST_ID } from './contract-helpers.js';
import { deadPort, startServer } from './helpers.js';

type Started = Awaited<ReturnType<typeof startServer>>;
let t: Started;
let upstream: string;

beforeAll(async () => {
  t = await startServer({ maxBodyBytes: 4096 });
  upstream = `127.0.0.1:${await deadPort()}`;
});
afterAll(() => t.server.close());
afterEach(async () => {
  const all = JSON.parse((await t.call('GET', '/proxies')).body) as Record<string, unknown>;
  for (const name of Object.keys(all)) await t.call('DELETE', `/proxies/${encodeURIComponent(name)}`);
});

describe('proxies', () => {
  it('GET /proxies is {} when empty', async () => {
    expectJson(await t.call('GET', '/proxies'), 200, '{}');
  });

  it('POST /proxies creates (201), resolving localhost and port 0', async () => {
    const answer = await t.call('POST', '/proxies', { name: 'p1', listen: 'localhost:0', upstream });
    expect(answer.status).toBe(201);
    const port = /"listen":"127\.0\.0\.1:(\d+)"/.exec(answer.body)?.[1];
    expect(Number(port)).toBeGreaterThan(0);
    expectJson(answer, 201, proxyBody('p1', `127.0.0.1:${port}`, upstream, true));
    expectJson(await t.call('GET', '/proxies/p1'), 200, proxyBody('p1', `127.0.0.1:${port}`, upstream, true));
  });

  it('without a listen address it binds an ephemeral loopback port', async () => {
    const answer = await t.call('POST', '/proxies', { name: 'nl', upstream });
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body).listen).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
  });

  it('a disabled proxy keeps its listen address as given', async () => {
    const answer = await t.call('POST', '/proxies', {
      name: 'd',
      listen: 'localhost:0',
      upstream,
      enabled: false,
    });
    expectJson(answer, 201, proxyBody('d', 'localhost:0', upstream, false));
  });

  it('create errors: duplicate, missing fields, bad bodies, bind failure', async () => {
    await t.call('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream });
    expectApiError(
      await t.call('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream }),
      409,
      'proxy already exists',
    );
    expectApiError(
      await t.call('POST', '/proxies', { listen: '127.0.0.1:0', upstream }),
      400,
      'missing required field: name',
    );
    expectApiError(
      await t.call('POST', '/proxies', { name: 'q', listen: '127.0.0.1:0' }),
      400,
      'missing required field: upstream',
    );
    expectApiError(await t.call('POST', '/proxies', ''), 400, 'bad request body: EOF');
    expectApiError(
      await t.call('POST', '/proxies', 'xyz'),
      400,
      "bad request body: invalid character 'x' looking for beginning of value",
    );
    expectApiError(
      await t.call('POST', '/proxies', '"str"'),
      400,
      'bad request body: json: cannot unmarshal string into Go value of type toxiproxy.Proxy',
    );
    const taken = JSON.parse((await t.call('GET', '/proxies/p')).body).listen as string;
    expectApiError(
      await t.call('POST', '/proxies', { name: 'q', listen: taken, upstream }),
      500,
      `listen tcp ${taken}: bind: address already in use`,
    );
    expect(Object.keys(JSON.parse((await t.call('GET', '/proxies')).body))).toEqual(['p']);
  });

  it('GET /proxies lists every proxy with its toxics, keys sorted by bytes', async () => {
    for (const name of ['b', 'a', '9', '10']) {
      await t.call('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream, enabled: false });
    }
    await t.call('POST', '/proxies/a/toxics', { type: 'noop' });
    const answer = await t.call('GET', '/proxies');
    expect(answer.status).toBe(200);
    expect(answer.body.startsWith('{"10":{"name":"10"')).toBe(true);
    expect([...answer.body.matchAll(/"([^"]+)":\{"name"/g)].map((m) => m[1])).toEqual(['10', '9', 'a', 'b']);
    expect(answer.body).toContain(
      `"a":${proxyBody('a', '127.0.0.1:0', upstream, false, '[{"attributes":{},"name":"noop_downstream","type":"noop","stream":"downstream","toxicity":1}]')}`,
    );
  });

  it('GET/POST/PATCH/DELETE /proxies/{p}', async () => {
    await t.call('POST', '/proxies', { name: 'a b', listen: '127.0.0.1:0', upstream });
    const listen = JSON.parse((await t.call('GET', '/proxies/a%20b')).body).listen as string;
    expectJson(
      await t.call('POST', '/proxies/a%20b', { enabled: false, name: 'ignored' }),
      200,
      proxyBody('a b', listen, upstream, false),
    );
    expectJson(
      await t.call('PATCH', '/proxies/a%20b', { upstream: 'h:1' }),
      200,
      proxyBody('a b', listen, 'h:1', false),
    );
    expectJson(await t.call('PATCH', '/proxies/a%20b', {}), 200, proxyBody('a b', listen, 'h:1', false));
    expectApiError(
      await t.call('PATCH', '/proxies/a%20b', '[1]'),
      400,
      'bad request body: json: cannot unmarshal array into Go value of type toxiproxy.Proxy',
    );
    expectApiError(
      await t.call('PATCH', '/proxies/a%20b', { listen: 'bad' }),
      500,
      'address bad: missing port in address',
    );
    expectJson(await t.call('GET', '/proxies/a%20b'), 200, proxyBody('a b', listen, 'h:1', false));
    const del = await t.call('DELETE', '/proxies/a%20b');
    expect(del.status).toBe(204);
    expect(del.body).toBe('');
    expect(del.headers['x-toxiproxy-request-id']).toMatch(REQUEST_ID);
    expectApiError(await t.call('DELETE', '/proxies/a%20b'), 404, 'proxy not found');
    expectApiError(await t.call('GET', '/proxies/a%20b'), 404, 'proxy not found');
    expectApiError(await t.call('POST', '/proxies/a%20b', {}), 404, 'proxy not found');
  });

  it('PATCH to a listen address already in use: 500 with the bind error, proxy left disabled', async () => {
    await t.call('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream });
    await t.call('POST', '/proxies', { name: 'q', listen: '127.0.0.1:0', upstream });
    const taken = JSON.parse((await t.call('GET', '/proxies/p')).body).listen as string;
    expectApiError(
      await t.call('PATCH', '/proxies/q', { listen: taken }),
      500,
      `listen tcp ${taken}: bind: address already in use`,
    );
    expectJson(await t.call('GET', '/proxies/q'), 200, proxyBody('q', taken, upstream, false));
    expectApiError(
      await t.call('PATCH', '/proxies/q', { listen: '127.0.0.1' }),
      500,
      'address 127.0.0.1: missing port in address',
    );
  });
});

describe('populate and reset', () => {
  it('creates in input order (201); [] and null give {"proxies":null}', async () => {
    const answer = await t.call('POST', '/populate', [
      { name: 'z', listen: '127.0.0.1:0', upstream },
      { name: 'y', listen: 'localhost:0', upstream, enabled: false },
    ]);
    expect(answer.status).toBe(201);
    expect(answer.headers['content-type']).toBe('application/json');
    const body = JSON.parse(answer.body) as { proxies: Array<{ name: string; enabled: boolean }> };
    expect(Object.keys(body)).toEqual(['proxies']);
    expect(body.proxies.map((p) => [p.name, p.enabled])).toEqual([
      ['z', true],
      ['y', false],
    ]);
    expectJson(await t.call('POST', '/populate', []), 201, '{"proxies":null}');
    expectJson(await t.call('POST', '/populate', 'null'), 201, '{"proxies":null}');
  });

  it('validation errors name the proxy (1-based), as JSON without a newline, applying nothing', async () => {
    const answer = await t.call('POST', '/populate', [
      { name: 'ok', listen: '127.0.0.1:0', upstream },
      { listen: '127.0.0.1:0', upstream },
    ]);
    expectJson(
      answer,
      400,
      '{"error":"missing required field: name at proxy 2","status":400,"proxies":null}',
    );
    expectJson(
      await t.call('POST', '/populate', [{ name: 'ok', listen: '127.0.0.1:0' }]),
      400,
      '{"error":"missing required field: upstream at proxy 1","status":400,"proxies":null}',
    );
    expectJson(
      await t.call('POST', '/populate', '{"a":1}'),
      400,
      `{"error":"bad request body: json: cannot unmarshal object into Go value of type []struct { toxiproxy.Proxy; Enabled *bool \\"json:\\\\\\"enabled\\\\\\"\\" }","status":400,"proxies":null}`,
    );
    expectJson(await t.call('GET', '/proxies'), 200, '{}');
  });

  it('a bind error stops it with 500 and the proxies done so far', async () => {
    await t.call('POST', '/proxies', { name: 'holder', listen: '127.0.0.1:0', upstream });
    const taken = JSON.parse((await t.call('GET', '/proxies/holder')).body).listen as string;
    const answer = await t.call('POST', '/populate', [
      { name: 'first', listen: '127.0.0.1:0', upstream },
      { name: 'second', listen: taken, upstream },
      { name: 'third', listen: '127.0.0.1:0', upstream },
    ]);
    expect(answer.status).toBe(500);
    expect(answer.headers['content-type']).toBe('application/json');
    const body = JSON.parse(answer.body) as {
      error: string;
      status: number;
      proxies: Array<{ name: string }>;
    };
    expect(Object.keys(body)).toEqual(['error', 'status', 'proxies']);
    expect(body.error).toBe(`listen tcp ${taken}: bind: address already in use`);
    expect(body.status).toBe(500);
    expect(body.proxies.map((p) => p.name)).toEqual(['first']);
    expect(Object.keys(JSON.parse((await t.call('GET', '/proxies')).body))).toEqual(['first', 'holder']);
  });

  it('keeps identical proxies (toxics survive) and replaces the others (toxics lost)', async () => {
    await t.call('POST', '/populate', [
      { name: 'same', listen: '127.0.0.1:0', upstream },
      { name: 'moved', listen: '127.0.0.1:0', upstream },
    ]);
    const same = JSON.parse((await t.call('GET', '/proxies/same')).body).listen as string;
    const port = same.split(':')[1];
    await t.call('POST', '/proxies/same/toxics', { type: 'noop' });
    await t.call('POST', '/proxies/moved/toxics', { type: 'noop' });
    const answer = await t.call('POST', '/populate', [
      { name: 'same', listen: `localhost:${port}`, upstream, enabled: false },
      { name: 'moved', listen: '127.0.0.1:0', upstream: 'elsewhere:1' },
    ]);
    expect(answer.status).toBe(201);
    const same2 = JSON.parse((await t.call('GET', '/proxies/same')).body);
    expect(same2).toMatchObject({ listen: same, enabled: true });
    expect(same2.toxics).toHaveLength(1);
    const moved = JSON.parse((await t.call('GET', '/proxies/moved')).body);
    expect(moved).toMatchObject({ upstream: 'elsewhere:1', toxics: [] });
  });

  it('extension: toxics inside entries are created, updated and validated before anything is applied', async () => {
    const entry = {
      name: 'tx',
      listen: '127.0.0.1:0',
      upstream,
      toxics: [{ type: 'latency', attributes: { latency: 5 } }],
    };
    expect((await t.call('POST', '/populate', [entry])).status).toBe(201);
    const again = await t.call('POST', '/populate', [
      {
        ...entry,
        toxics: [
          { type: 'latency', attributes: { latency: 9 } },
          { type: 'noop', stream: 'upstream' },
        ],
      },
    ]);
    expect(again.status).toBe(201);
    const toxics = JSON.parse((await t.call('GET', '/proxies/tx/toxics')).body) as Array<{
      name: string;
      attributes: unknown;
    }>;
    expect(toxics.map((x) => x.name)).toEqual(['noop_upstream', 'latency_downstream']);
    expect(toxics[1]?.attributes).toEqual({ latency: 9, jitter: 0 });
    expectJson(
      await t.call('POST', '/populate', [
        { name: 'new', listen: '127.0.0.1:0', upstream, toxics: [{ type: 'nope' }] },
      ]),
      400,
      '{"error":"invalid toxic type at proxy 1 toxic 1","status":400,"proxies":null}',
    );
    expectApiError(await t.call('GET', '/proxies/new'), 404, 'proxy not found');
  });

  it('POST /reset re-enables every proxy and removes every toxic (204)', async () => {
    await t.call('POST', '/proxies', { name: 'r', listen: '127.0.0.1:0', upstream });
    await t.call('POST', '/proxies/r/toxics', { type: 'latency' });
    await t.call('POST', '/proxies/r', { enabled: false });
    const answer = await t.call('POST', '/reset', 'ignored body');
    expect(answer.status).toBe(204);
    expect(answer.body).toBe('');
    expect(JSON.parse((await t.call('GET', '/proxies/r')).body)).toMatchObject({ enabled: true, toxics: [] });
  });
});
