/**
 * A request that dies on a stale keep-alive socket — the server had closed that pooled socket before the
 * request was written — is sent once more on a fresh connection, transparently; one that the server (or a
 * proxy) may have read is not. The restart tests (http-faults.test.ts) show the effect on session recovery.
 */
import { describe, expect, it } from 'vitest';
import type { HttpConnection } from '../../../src/manager/connection/http-connection.js';
import { createConnection } from '../../../src/manager/connection/index.js';
import type { MockServerHandle } from '../../../src/mock/index.js';
import { fixtures } from '../../helpers/fixtures.js';
import { type Forwarder, startForwarder } from './fixtures/tcp-forwarder.js';
import { failure, recorder, textOf } from './helpers.js';

const fx = fixtures();

async function setup(): Promise<{
  h: MockServerHandle;
  fw: Forwarder;
  c: HttpConnection;
  rec: ReturnType<typeof recorder>;
}> {
  const h = await fx.mock({ response: 'json' });
  const fw = await startForwarder(h.port);
  fx.own(fw, (x) => x.close());
  const rec = recorder();
  const c = createConnection(
    { id: 'srv[0]', transport: 'http', url: `http://127.0.0.1:${fw.port}/mcp` },
    { onEvent: rec.onEvent },
  ) as HttpConnection;
  fx.own(c, (x) => x.close());
  return { h, fw, c, rec };
}

const echo = (c: HttpConnection, message: string, idempotent = false) =>
  c.callTool('echo', { message }, { timeoutMs: 2000, idempotent });

/** Sequential calls, so the next request goes out on a pooled socket that has answered before. */
async function warm(c: HttpConnection): Promise<void> {
  for (let i = 0; i < 3; i++) expect(textOf(await echo(c, `warm${i}`))).toBe(`warm${i}`);
}

describe('stale keep-alive socket', () => {
  it('pooled sockets closed by the far side right before a call: sent again on a fresh connection, once', async () => {
    const { h, fw, c, rec } = await setup();
    await warm(c);
    const calls = h.stats().calls;
    const accepted = fw.stats().accepted;
    fw.cutAll(); // every pooled socket gets a FIN the client has not read yet
    expect(textOf(await echo(c, 'once'))).toBe('once'); // not idempotent: still safe
    expect(h.stats().calls).toBe(calls + 1);
    expect(c.staleSocketRetries).toBe(1);
    expect(fw.stats().accepted).toBeGreaterThan(accepted);
    expect(c.state).toBe('ready');
    expect(rec.kinds()).toEqual(['connected']);
  });

  it('not retried when a proxy read the request and closed without an answer (it may have been delivered)', async () => {
    const { h, fw, c } = await setup();
    await warm(c);
    const calls = h.stats().calls;
    fw.cutNext = 'request';
    const r = await failure(() => echo(c, 'unknown'));
    expect(r).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    expect(c.staleSocketRetries).toBe(0);
    expect(h.stats().calls).toBe(calls);
    expect(textOf(await echo(c, 'next'))).toBe('next');
  });

  it('not retried when part of the answer arrived: the server read the request', async () => {
    const { h, fw, c } = await setup();
    await warm(c);
    const calls = h.stats().calls;
    fw.cutNext = 'answer';
    const r = await failure(() => echo(c, 'partial'));
    expect(r).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    expect(c.staleSocketRetries).toBe(0);
    expect(h.stats().calls).toBe(calls + 1); // executed once, never again
    expect(textOf(await echo(c, 'next'))).toBe('next');
  });

  it('not retried on a fresh socket (its first request): the error stands', async () => {
    const { h, fw, c } = await setup();
    fw.cutNext = 'request';
    const r = await failure(() => c.connect());
    expect(r).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    expect(c.staleSocketRetries).toBe(0);
    expect(h.stats().sessions).toBe(0);
  });

  it('when the fresh connection fails too, the original error stands (not a refusal)', async () => {
    const { h, fw, c } = await setup();
    await warm(c);
    const calls = h.stats().calls;
    await fw.close(); // FIN on every pooled socket, and the fresh connection is refused
    const r = await failure(() => echo(c, 'lost'));
    expect(r).toMatchObject({ code: 'CONNECTION_FAILED', failureClass: 'connection' });
    expect(r.error.details.causeCode).not.toBe('ECONNREFUSED');
    expect(c.staleSocketRetries).toBe(1);
    expect(h.stats().calls).toBe(calls);
  });
});
