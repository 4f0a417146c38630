/**
 * With no fault the HTTP relay is transparent: any request body (JSON-RPC or arbitrary bytes), path and
 * header value reaches the server byte for byte, and any answer (status, content type, body — JSON, SSE
 * or arbitrary bytes) reaches the client byte for byte. Real sockets; the relay only reads.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/index.js';
import { type HttpRelay, startHttpRelay } from '../../src/relay/index.js';
import { FC_SEED } from '../helpers/seed.js';

interface Seen {
  method: string;
  url: string;
  body: Buffer;
  custom: string | undefined;
}
let server: Server;
let relay: HttpRelay;
let seen = undefined as Seen | undefined;
let answer: { status: number; type: string; body: Uint8Array } = {
  status: 200,
  type: 'application/json',
  body: new Uint8Array(),
};

async function read(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    seen = {
      method: req.method ?? '',
      url: req.url ?? '',
      body: await read(req),
      custom: req.headers['x-custom'] as string | undefined,
    };
    res.writeHead(answer.status, { 'content-type': answer.type });
    // in two writes, so the relay sees more than one chunk
    const half = Math.floor(answer.body.length / 2);
    res.write(answer.body.subarray(0, half));
    res.end(answer.body.subarray(half));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  relay = await startHttpRelay({
    upstream: { host: '127.0.0.1', port: (server.address() as AddressInfo).port },
    clock: systemClock,
  });
});
afterAll(async () => {
  await relay.close();
  await new Promise((r) => server.close(r));
});

const jsonRpc = fc
  .record({
    id: fc.oneof(fc.integer(), fc.string()),
    method: fc.string({ minLength: 1 }),
    params: fc.jsonValue(),
  })
  .map((m) => new TextEncoder().encode(JSON.stringify({ jsonrpc: '2.0', ...m })));
const sse = fc
  .array(fc.jsonValue(), { minLength: 1, maxLength: 4 })
  .map((xs) =>
    new TextEncoder().encode(xs.map((x) => `event: message\ndata: ${JSON.stringify(x)}\n\n`).join('')),
  );

describe('HTTP relay fidelity (property)', () => {
  it('requests and answers pass byte for byte when no fault is set', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(jsonRpc, fc.uint8Array({ maxLength: 20_000 })),
        fc.constantFrom('/mcp', '/mcp?x=1', '/a/b%20c', '/'),
        fc.stringMatching(/^[\x21-\x7e]{0,40}$/),
        fc.record({
          status: fc.constantFrom(200, 202, 400, 404, 500, 503),
          type: fc.constantFrom('application/json', 'text/event-stream', 'application/octet-stream'),
          body: fc.oneof(sse, jsonRpc, fc.uint8Array({ maxLength: 20_000 })),
        }),
        async (body, path, custom, ans) => {
          answer = ans;
          seen = undefined as Seen | undefined;
          const res = await fetch(`http://127.0.0.1:${relay.port}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-custom': custom },
            body,
          });
          const got = new Uint8Array(await res.arrayBuffer());
          expect(seen?.method).toBe('POST');
          expect(seen?.url).toBe(path);
          expect(seen?.custom).toBe(custom);
          expect(Buffer.compare(seen?.body ?? Buffer.alloc(0), Buffer.from(body))).toBe(0);
          expect(res.status).toBe(ans.status);
          expect(res.headers.get('content-type')).toBe(ans.type);
          expect(Buffer.compare(Buffer.from(got), Buffer.from(ans.body))).toBe(0);
        },
      ),
      { seed: FC_SEED, numRuns: 120 },
    );
    expect(relay.log.snapshot().records.every((r) => r.faulted === undefined)).toBe(true);
  });
});
