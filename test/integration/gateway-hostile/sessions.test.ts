/**
 * 2025 sessions under a hostile client. Before: a second token could call on, listen on and DELETE the
 * first token's session; one token filled the whole table and every other client got 503 for the idle
 * timeout (30 minutes). Now a session belongs to who opened it (404 for anyone else), a client holds at
 * most `sessions.perClient`, and a full table makes room by closing the least recently used idle session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayHandle } from '../../../src/gateway/index.js';
import { modernClient } from '../gateway/helpers.js';
import { gatewayOverMock, openSession, post } from './hostile-client.js';

const A = 'token-a-0123456789abcdef';
const B = 'token-b-0123456789abcdef';
const C = 'token-c-0123456789abcdef';
const echo = (id: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'weather__echo', arguments: { message: 'mine' } },
});

describe('gateway: sessions belong to their client and cannot be hoarded', () => {
  let gw: GatewayHandle;
  let close = async () => {};

  beforeAll(async () => {
    ({ gw, close } = await gatewayOverMock(
      'weather',
      {
        auth: { tokens: ['env:A', 'env:B', 'env:C'] },
        rate: { perClient: '10000/s', burst: 10000 },
        sessions: { max: 6, perClient: 4 },
      },
      { A, B, C },
    ));
  }, 60_000);

  afterAll(() => close());

  const metrics = async () =>
    (await fetch(gw.url.replace(/\/mcp$/, '/metrics'), { headers: { authorization: `Bearer ${A}` } })).text();
  const live = async () => Number(/^mcp_gateway_sessions (\d+)/m.exec(await metrics())?.[1]);

  it("another token can neither call on, listen on nor DELETE a session: 404, and the owner's still works", async () => {
    const sid = await openSession(gw.url, A);
    expect((await post(gw.url, echo(2), { token: B, session: sid })).status).toBe(404);
    expect((await post(gw.url, undefined, { token: B, session: sid, method: 'GET' })).status).toBe(404);
    expect((await post(gw.url, undefined, { token: B, session: sid, method: 'DELETE' })).status).toBe(404);
    const mine = await post(gw.url, echo(3), { token: A, session: sid });
    expect(mine.status).toBe(200);
    expect(mine.text).toContain('mine');
    await post(gw.url, undefined, { token: A, session: sid, method: 'DELETE' });
  });

  it('a client at its quota loses its own least recently used idle session, never another client’s', async () => {
    const b = await openSession(gw.url, B);
    const mine: string[] = [];
    for (let i = 0; i < 4; i++) mine.push(await openSession(gw.url, A));
    // the quota is 4: a fifth closes A's least recently used (the first), not B's
    await post(gw.url, echo(4), { token: A, session: mine[0] as string }); // now the second is the oldest
    const fifth = await openSession(gw.url, A);
    expect((await post(gw.url, echo(5), { token: A, session: mine[1] as string })).status).toBe(404);
    for (const sid of [mine[0], mine[2], mine[3], fifth])
      expect((await post(gw.url, echo(6), { token: A, session: sid as string })).status).toBe(200);
    expect((await post(gw.url, echo(7), { token: B, session: b })).status).toBe(200);
    expect(await metrics()).toMatch(/mcp_gateway_sessions_evicted_total [1-9]/);
  });

  it('a full table still admits a new client while idle sessions exist (the least recently used goes)', async () => {
    // 4 of A and 1 of B are live (max 6); C opens two: the second needs room
    expect(await live()).toBe(5);
    await openSession(gw.url, C);
    const c2 = await openSession(gw.url, C);
    expect(await live()).toBe(6);
    expect((await post(gw.url, echo(8), { token: C, session: c2 })).status).toBe(200);
  });

  it('a request whose id is already in flight on the session: 400 at once, never a request left hanging', async () => {
    const sid = await openSession(gw.url, B);
    const sleep = (id: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'weather__sleep', arguments: { ms: 300 } },
    });
    const first = post(gw.url, sleep(42), { token: B, session: sid });
    await expect.poll(() => gw.manager.snapshot().endpoints[0]?.inFlight).toBe(1); // the first is in flight
    const second = await post(gw.url, sleep(42), { token: B, session: sid });
    expect(second.status).toBe(400);
    expect(second.text).toMatch(/already in flight/);
    expect((await first).status).toBe(200);
    // once answered, the id may be used again
    expect((await post(gw.url, sleep(42), { token: B, session: sid })).status).toBe(200);
  });
});

describe('gateway: 2026-07-28 listen streams per client', () => {
  let gw: GatewayHandle;
  let close = async () => {};

  beforeAll(async () => {
    ({ gw, close } = await gatewayOverMock(
      'weather',
      {
        auth: { tokens: ['env:A', 'env:B'] },
        rate: { perClient: '10000/s', burst: 10000 },
        sessions: { listenPerClient: 2 },
      },
      { A, B },
    ));
  }, 60_000);

  afterAll(() => close());

  it('one token cannot hold every listen stream: past its quota 429, another token still listens', async () => {
    // before: one token held all 1,024 of the SDK's streams and nobody else could listen
    const a = await modernClient(gw.url, A);
    const b = await modernClient(gw.url, B);
    try {
      const held = [await a.listen({ toolsListChanged: true }), await a.listen({ toolsListChanged: true })];
      await expect(a.listen({ toolsListChanged: true })).rejects.toThrow();
      const other = await b.listen({ toolsListChanged: true });
      await other.close();
      await held[0]?.close();
      // a stream closed frees its slot
      await expect
        .poll(
          async () =>
            a.listen({ toolsListChanged: true }).then(
              (s) => s.close().then(() => true),
              () => false,
            ),
          { timeout: 5000 },
        )
        .toBe(true);
      await held[1]?.close();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
