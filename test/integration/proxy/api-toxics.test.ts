import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError, expectJson } from './contract-helpers.js';
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
