import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deadPort, type RawAnswer, startServer } from './helpers.js';

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

const REQUEST_ID = /^[0-9a-v]{20}$/;

/** An error answer of Toxiproxy's apiError: exact body, text/plain, nosniff, request id. */
function expectApiError(answer: RawAnswer, status: number, error: string) {
  expect(answer.status).toBe(status);
  expect(answer.body).toBe(`${JSON.stringify({ error, status })}\n`);
  expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['x-toxiproxy-request-id']).toMatch(REQUEST_ID);
}

function expectJson(answer: RawAnswer, status: number, body: string) {
  expect(answer.status).toBe(status);
  expect(answer.body).toBe(body);
  expect(answer.headers['content-type']).toBe('application/json');
  expect(answer.headers['x-toxiproxy-request-id']).toMatch(REQUEST_ID);
}

const proxyBody = (name: string, listen: string, up: string, enabled: boolean, toxics = '[]') =>
  `{"name":${JSON.stringify(name)},"listen":"${listen}","upstream":"${up}","enabled":${enabled},"Logger":{},"toxics":${toxics}}`;

describe('version and conventions', () => {
  it('GET /version', async () => {
    const answer = await t.call('GET', '/version');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('{"version": "2.12.0"}\n');
    expect(answer.headers['content-type']).toBe('application/json;charset=utf-8');
    expect(answer.headers['x-toxiproxy-request-id']).toMatch(REQUEST_ID);
  });

  it('unknown paths and a trailing slash are 404 page not found, without a request id', async () => {
    for (const path of ['/nope', '/proxies/', '/version/', '/proxies/a/toxics/', '/metrics', '/']) {
      const answer = await t.call('GET', path);
      expect(answer.status, path).toBe(404);
      expect(answer.body).toBe('404 page not found\n');
      expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(answer.headers['x-toxiproxy-request-id']).toBeUndefined();
    }
  });

  it('a known path with a wrong method is 405 with an empty body', async () => {
    const cases: Array<[string, string]> = [
      ['HEAD', '/version'],
      ['OPTIONS', '/proxies'],
      ['PUT', '/proxies/x'],
      ['DELETE', '/version'],
      ['GET', '/reset'],
      ['GET', '/populate'],
      ['PUT', '/proxies/x/toxics'],
      ['PUT', '/proxies/x/toxics/y'],
    ];
    for (const [method, path] of cases) {
      const answer = await t.call(method, path);
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.body).toBe('');
      expect(answer.headers['x-toxiproxy-request-id']).toBeUndefined();
    }
  });

  it('a browser user agent gets 403 on every route', async () => {
    for (const [method, path] of [
      ['GET', '/version'],
      ['POST', '/proxies'],
      ['POST', '/reset'],
      ['DELETE', '/proxies/x'],
    ] as const) {
      const answer = await t.call(method, path, '{}', { 'User-Agent': 'Mozilla/5.0 (X11)' });
      expect(answer.status).toBe(403);
      expect(answer.body).toBe('User agent not allowed\n');
      expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-toxiproxy-request-id']).toMatch(REQUEST_ID);
    }
    expect((await t.call('GET', '/proxies')).body).toBe('{}');
  });

  it('unclean paths redirect like gorilla/mux; malformed escapes are 400', async () => {
    const answer = await t.call('GET', '//proxies');
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe('/proxies');
    const bad = await t.call('GET', '/proxies/%zz');
    expect(bad.status).toBe(400);
  });

  it('bodies above the limit get 413 with a clear error', async () => {
    const answer = await t.call('POST', '/proxies', 'x'.repeat(5000));
    expect(answer.status).toBe(413);
    expect(answer.body).toBe('{"error":"request body too large: the limit is 4096 bytes","status":413}\n');
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
  });
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
    const del = await t.call('DELETE', '/proxies/a%20b');
    expect(del.status).toBe(204);
    expect(del.body).toBe('');
    expect(del.headers['x-toxiproxy-request-id']).toMatch(REQUEST_ID);
    expectApiError(await t.call('DELETE', '/proxies/a%20b'), 404, 'proxy not found');
    expectApiError(await t.call('GET', '/proxies/a%20b'), 404, 'proxy not found');
    expectApiError(await t.call('POST', '/proxies/a%20b', {}), 404, 'proxy not found');
  });
});

describe('toxics', () => {
  const latency =
    '{"attributes":{"latency":100,"jitter":0},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":1}';

  it('create (200), list (upstream first), get, update (merge), delete', async () => {
    await t.call('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream });
    expectJson(await t.call('GET', '/proxies/p/toxics'), 200, '[]');
    expectJson(
      await t.call('POST', '/proxies/p/toxics', { type: 'latency', attributes: { latency: 100 } }),
      200,
      latency,
    );
    const up = '{"attributes":{"rate":5},"name":"bw","type":"bandwidth","stream":"UpStream","toxicity":0.5}';
    expectJson(
      await t.call('POST', '/proxies/p/toxics', {
        name: 'bw',
        type: 'bandwidth',
        stream: 'UpStream',
        toxicity: 0.5,
        attributes: { rate: 5, extra: 1 },
      }),
      200,
      up,
    );
    expectJson(await t.call('GET', '/proxies/p/toxics'), 200, `[${up},${latency}]`);
    expectJson(await t.call('GET', '/proxies/p/toxics/bw'), 200, up);
    expectJson(
      await t.call('POST', '/proxies/p/toxics/latency_downstream', {
        attributes: { jitter: 7 },
        name: 'x',
        stream: 'upstream',
        type: 'noop',
      }),
      200,
      latency.replace('"jitter":0', '"jitter":7'),
    );
    expectJson(
      await t.call('PATCH', '/proxies/p/toxics/latency_downstream', { toxicity: 0.25 }),
      200,
      latency.replace('"jitter":0', '"jitter":7').replace('"toxicity":1', '"toxicity":0.25'),
    );
    const del = await t.call('DELETE', '/proxies/p/toxics/bw');
    expect(del.status).toBe(204);
    expect(del.body).toBe('');
    expectApiError(await t.call('DELETE', '/proxies/p/toxics/bw'), 404, 'toxic not found');
    expectApiError(await t.call('GET', '/proxies/p/toxics/bw'), 404, 'toxic not found');
    expectApiError(await t.call('POST', '/proxies/p/toxics/bw', {}), 404, 'toxic not found');
    expect(JSON.parse((await t.call('GET', '/proxies/p')).body).toxics).toEqual([
      JSON.parse(latency.replace('"jitter":0', '"jitter":7').replace('"toxicity":1', '"toxicity":0.25')),
    ]);
  });

  it('every toxic type is accepted with its attributes zero-filled in order', async () => {
    await t.call('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream });
    const cases: Array<[string, Record<string, number>, string]> = [
      ['noop', {}, '{}'],
      ['latency', {}, '{"latency":0,"jitter":0}'],
      ['bandwidth', { rate: 1 }, '{"rate":1}'],
      ['slow_close', {}, '{"delay":0}'],
      ['timeout', {}, '{"timeout":0}'],
      ['slicer', { average_size: 1 }, '{"average_size":1,"size_variation":0,"delay":0}'],
      ['limit_data', {}, '{"bytes":0}'],
      ['reset_peer', {}, '{"timeout":0}'],
    ];
    for (const [type, attributes, expected] of cases) {
      const answer = await t.call('POST', '/proxies/p/toxics', { type, attributes, stream: 'upstream' });
      expectJson(
        answer,
        200,
        `{"attributes":${expected},"name":"${type}_upstream","type":"${type}","stream":"upstream","toxicity":1}`,
      );
    }
  });

  it('errors, checked in Toxiproxy order: proxy → body → stream → name → type → duplicate → attributes', async () => {
    expectApiError(await t.call('POST', '/proxies/none/toxics', 'garbage'), 404, 'proxy not found');
    await t.call('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream });
    expectApiError(await t.call('POST', '/proxies/p/toxics', '{'), 400, 'bad request body: unexpected EOF');
    expectApiError(
      await t.call('POST', '/proxies/p/toxics', { type: 'bogus', stream: 'sideways' }),
      400,
      'stream was invalid, can be either upstream or downstream',
    );
    expectApiError(
      await t.call('POST', '/proxies/p/toxics', { type: 'latency', stream: '' }),
      400,
      'stream was invalid, can be either upstream or downstream',
    );
    for (const type of ['down', '', 'LATENCY', undefined]) {
      expectApiError(await t.call('POST', '/proxies/p/toxics', { type }), 400, 'invalid toxic type');
    }
    await t.call('POST', '/proxies/p/toxics', { type: 'latency', stream: 'upstream' });
    expectApiError(
      await t.call('POST', '/proxies/p/toxics', {
        type: 'noop',
        name: 'latency_upstream',
        attributes: { x: 'y' },
      }),
      409,
      'toxic already exists',
    );
    expectApiError(
      await t.call('POST', '/proxies/p/toxics', { type: 'latency', attributes: { latency: 1.5 } }),
      400,
      'bad request body: json: cannot unmarshal number 1.5 into Go struct field LatencyToxic.attributes.latency of type int64',
    );
  });

  it('deliberate differences answer 400 with a clear message', async () => {
    await t.call('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream });
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { type: 'bandwidth', attributes: { rate: -1 } },
        'bandwidth attribute rate must not be negative, got -1',
      ],
      [
        { type: 'bandwidth', attributes: { rate: 0 } },
        'bandwidth rate must be positive (KB/s), got 0 (the real Toxiproxy stalls the stream forever on 0)',
      ],
      [
        { type: 'slicer', attributes: { average_size: 0 } },
        'slicer average_size must be positive (bytes), got 0 (the real Toxiproxy overflows its stack)',
      ],
      [
        { type: 'slicer', attributes: { average_size: 2, size_variation: 3 } },
        'slicer size_variation (3) must not exceed average_size (2) (the real Toxiproxy panics)',
      ],
      [
        { type: 'latency', attributes: { jitter: -5 } },
        'latency attribute jitter must not be negative, got -5',
      ],
      [
        { type: 'timeout', attributes: { timeout: -1 } },
        'timeout attribute timeout must not be negative, got -1',
      ],
      [
        { type: 'slow_close', attributes: { delay: -1 } },
        'slow_close attribute delay must not be negative, got -1',
      ],
      [
        { type: 'limit_data', attributes: { bytes: -1 } },
        'limit_data attribute bytes must not be negative, got -1',
      ],
      [{ type: 'latency', toxicity: 2 }, 'toxicity must be between 0 and 1, got 2'],
      [{ type: 'latency', toxicity: -1 }, 'toxicity must be between 0 and 1, got -1'],
    ];
    for (const [body, error] of cases)
      expectApiError(await t.call('POST', '/proxies/p/toxics', body), 400, error);
    await t.call('POST', '/proxies/p/toxics', { type: 'bandwidth', attributes: { rate: 10 } });
    expectApiError(
      await t.call('POST', '/proxies/p/toxics/bandwidth_downstream', { attributes: { rate: 0 } }),
      400,
      'bandwidth rate must be positive (KB/s), got 0 (the real Toxiproxy stalls the stream forever on 0)',
    );
    expect(
      JSON.parse((await t.call('GET', '/proxies/p/toxics/bandwidth_downstream')).body).attributes,
    ).toEqual({ rate: 10 });
    expect(JSON.parse((await t.call('GET', '/proxies/p/toxics')).body)).toHaveLength(1);
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
