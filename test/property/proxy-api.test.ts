import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FC_SEED } from '../helpers/seed.js';
import {
  deadPort,
  type RawAnswer,
  rawRequest,
  startEcho,
  startServer,
} from '../integration/proxy/helpers.js';

const seed = FC_SEED;

type Started = Awaited<ReturnType<typeof startServer>>;
let t: Started;
let echo: Awaited<ReturnType<typeof startEcho>>;
let dead: string;

beforeAll(async () => {
  t = await startServer({ maxBodyBytes: 16 * 1024, metrics: true });
  echo = await startEcho();
  dead = `127.0.0.1:${await deadPort()}`;
});
afterAll(async () => {
  await t.server.close();
  await echo.close();
});

const NAMES = ['p', 'q', 'a b', 'ünï', 'latency_downstream', ''];
const TYPES = [
  'latency',
  'bandwidth',
  'slow_close',
  'timeout',
  'reset_peer',
  'slicer',
  'limit_data',
  'noop',
  'down',
  'LATENCY',
  '',
];
// Only loopback/ephemeral or unusable addresses: random input must not bind real ports.
const LISTENS = [
  '127.0.0.1:0',
  'localhost:0',
  ':0',
  '',
  'nohost',
  '127.0.0.1:x',
  'a:b:c',
  '[::1',
  'localhost:99999',
];

const name = fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 8 }));
const number = fc.oneof(
  fc.integer({ min: -5, max: 2000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }),
  fc.constantFrom(0, 1, 0.5, 1e30, -1e30, 2 ** 63, 2 ** 53 + 2),
);
const attributes = fc.dictionary(
  fc.constantFrom(
    'latency',
    'jitter',
    'rate',
    'delay',
    'timeout',
    'average_size',
    'size_variation',
    'bytes',
    'LATENCY',
    'x',
  ),
  fc.oneof(number, fc.string({ maxLength: 3 }), fc.constant(null), fc.boolean()),
  { maxKeys: 4 },
);
const toxic = fc.record(
  {
    name,
    type: fc.oneof(fc.constantFrom(...TYPES), fc.string({ maxLength: 6 })),
    stream: fc.oneof(
      fc.constantFrom('upstream', 'downstream', 'UpStream', '', 'sideways'),
      fc.constant(null),
    ),
    toxicity: fc.oneof(number, fc.constant(null), fc.string({ maxLength: 2 })),
    attributes: fc.oneof(attributes, fc.constant(null), fc.integer()),
  },
  { requiredKeys: [] },
);
const proxy = fc.record(
  {
    name,
    listen: fc.constantFrom(...LISTENS),
    upstream: fc.oneof(fc.constantFrom('ECHO', 'DEAD', '', 'nohost:1'), fc.string({ maxLength: 6 })),
    enabled: fc.oneof(fc.boolean(), fc.constant(null), fc.integer()),
    toxics: fc.oneof(fc.constant(undefined), fc.array(toxic, { maxLength: 3 })),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  { weight: 3, arbitrary: proxy.map((p) => JSON.stringify(p)) },
  { weight: 3, arbitrary: toxic.map((x) => JSON.stringify(x)) },
  { weight: 2, arbitrary: fc.array(proxy, { maxLength: 3 }).map((ps) => JSON.stringify(ps)) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'null', '[', '{"a":', '['.repeat(12_000)) },
);

const route = fc.oneof(
  fc.constantFrom('/version', '/proxies', '/populate', '/reset', '/metrics'),
  name.map((p) => `/proxies/${encodeURIComponent(p)}`),
  name.map((p) => `/proxies/${encodeURIComponent(p)}/toxics`),
  fc.tuple(name, name).map(([p, x]) => `/proxies/${encodeURIComponent(p)}/toxics/${encodeURIComponent(x)}`),
);
const method = fc.constantFrom('GET', 'POST', 'POST', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD');

/** Every answer is a success, a well-formed error, or one of the router's fixed answers. */
function checkAnswer(answer: RawAnswer, method: string, path: string): void {
  const { status } = answer;
  if (method === 'HEAD') {
    // HEAD answers carry no body; only /metrics (any method, as in Toxiproxy) takes it
    expect(path === '/metrics' ? [200] : [301, 404, 405]).toContain(status);
  } else if (status === 405) {
    expect(answer.body).toBe('');
  } else if (status === 301) {
    expect(answer.headers.location).toBeDefined();
  } else if (status === 404 && answer.body === '404 page not found\n') {
    // e.g. an empty name: `/proxies/` does not match a route
  } else if (status < 400) {
    expect([200, 201, 204]).toContain(status);
    if (status === 204) expect(answer.body).toBe('');
    else if (path === '/metrics') expect(answer.body).toContain('toxiproxy_proxy');
    else JSON.parse(answer.body);
  } else {
    checkError(answer, path);
  }
}

function checkError(answer: RawAnswer, path: string): void {
  let parsed: Record<string, unknown>;
  if (path === '/populate' && answer.status !== 413) {
    expect(answer.headers['content-type']).toBe('application/json');
    parsed = JSON.parse(answer.body);
    expect(Object.keys(parsed)).toEqual(['error', 'status', 'proxies']);
  } else {
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.body.endsWith('\n')).toBe(true);
    parsed = JSON.parse(answer.body);
    expect(Object.keys(parsed)).toEqual(['error', 'status']);
  }
  expect(parsed.status).toBe(answer.status);
  expect(typeof parsed.error).toBe('string');
  expect((parsed.error as string).length).toBeGreaterThan(0);
  // a 500 is only ever a listen/bind failure or (PATCH) an unresolvable listen address passed through, as
  // Toxiproxy does — never an internal error
  if (answer.status === 500) expect(parsed.error).toMatch(/^(listen tcp|address |lookup )/);
}

describe('proxy API', () => {
  it('answers any JSON or bytes at any route with a success or a well-formed {error,status}', async () => {
    await fc.assert(
      fc.asyncProperty(method, route, body, async (m, path, raw) => {
        const text =
          typeof raw === 'string'
            ? raw.replaceAll('"ECHO"', `"127.0.0.1:${echo.port}"`).replaceAll('"DEAD"', `"${dead}"`)
            : raw;
        const answer = await rawRequest(
          t.server.url,
          m,
          path,
          m === 'GET' || m === 'HEAD' ? undefined : text,
        );
        checkAnswer(answer, m, path);
      }),
      { seed, numRuns: 800 },
    );
    // still serving, and its state still reads back as JSON
    expect((await rawRequest(t.server.url, 'GET', '/version')).status).toBe(200);
    const all = await rawRequest(t.server.url, 'GET', '/proxies');
    expect(all.status).toBe(200);
    JSON.parse(all.body);
    checkAnswer(await rawRequest(t.server.url, 'POST', '/reset'), 'POST', '/reset');
  });
});
