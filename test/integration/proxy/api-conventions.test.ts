import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_ID } from './contract-helpers.js';
import { startServer } from './helpers.js';

type Started = Awaited<ReturnType<typeof startServer>>;
let t: Started;

beforeAll(async () => {
  t = await startServer({ maxBodyBytes: 4096 });
});
afterAll(() => t.server.close());
afterEach(async () => {
  const all = JSON.parse((await t.call('GET', '/proxies')).body) as Record<string, unknown>;
  for (const name of Object.keys(all)) await t.call('DELETE', `/proxies/${encodeURIComponent(name)}`);
});

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
