import type { Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FC_SEED } from '../helpers/seed.js';
import { listenTcp, startServer, tcpClient } from '../integration/proxy/helpers.js';

const seed = FC_SEED;

type Started = Awaited<ReturnType<typeof startServer>>;
let t: Started;
/** The upstream: records what each connection receives and sends it the chunks planned for it. */
let upstream: Awaited<ReturnType<typeof listenTcp>>;
let plan: Uint8Array[] = [];
/** Resolves with the next connection the upstream accepts. */
let nextConnection: (socket: Socket) => void = () => {};
let proxyPort = 0;

beforeAll(async () => {
  t = await startServer();
  upstream = await listenTcp((socket) => {
    writeSpaced(socket, plan);
    nextConnection(socket);
  });
  proxyPort = await t.createProxy('fwd', `127.0.0.1:${upstream.port}`);
});
afterAll(async () => {
  await t.server.close();
  await upstream.close();
});

/** Writes chunks one per event-loop turn, so they tend to stay separate reads. */
function writeSpaced(socket: Socket, chunks: readonly Uint8Array[]): void {
  let i = 0;
  const next = () => {
    if (i >= chunks.length || socket.destroyed) return;
    socket.write(chunks[i++]!);
    setImmediate(next);
  };
  next();
}

const total = (chunks: readonly Uint8Array[]) => Buffer.concat(chunks.map((c) => Buffer.from(c)));
const chunks = fc.array(fc.uint8Array({ minLength: 1, maxLength: 40_000 }), { maxLength: 8 });

/** Toxic chains that must not change a byte (each exercises the toxic path rather than the direct one). */
const preserving: Record<string, Array<Record<string, unknown>>> = {
  none: [],
  noop: [{ type: 'noop' }, { type: 'noop', stream: 'upstream' }],
  latency0: [{ type: 'latency' }, { type: 'latency', stream: 'upstream', attributes: { latency: 1 } }],
  slicer: [
    { type: 'slicer', attributes: { average_size: 700, size_variation: 300 } },
    { type: 'slicer', stream: 'upstream', attributes: { average_size: 5000 } },
  ],
  bandwidth: [{ type: 'bandwidth', attributes: { rate: 1_000_000 } }],
};

/** Collects what `socket` receives until `bytes` arrived (or it closed). */
function receive(socket: Socket, bytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  return new Promise((resolve) => {
    const done = () => resolve(Buffer.concat(parts));
    if (bytes === 0) return done();
    socket.on('data', (d: Buffer) => {
      parts.push(d);
      size += d.length;
      if (size >= bytes) done();
    });
    socket.on('close', done);
  });
}

async function roundTrip(toClient: Uint8Array[], toServer: Uint8Array[]): Promise<void> {
  plan = toClient;
  const expectedAtClient = total(toClient);
  const expectedAtServer = total(toServer);
  const atServer = new Promise<Buffer>((resolve) => {
    nextConnection = (socket) => resolve(receive(socket, expectedAtServer.length));
  });
  const conn = tcpClient(proxyPort);
  await conn.ready;
  writeSpaced(conn.socket, toServer);
  const gotAtClient = await conn.waitFor(expectedAtClient.length, 10_000);
  const gotAtServer = await atServer;
  conn.socket.destroy();
  await conn.ended;
  expect(gotAtClient.equals(expectedAtClient)).toBe(true);
  expect(gotAtServer.equals(expectedAtServer)).toBe(true);
}

describe('proxy forwarding', () => {
  it('forwards any chunk sequences byte-exact in both directions when no toxics are set', async () => {
    await fc.assert(
      fc.asyncProperty(chunks, chunks, (toClient, toServer) => roundTrip(toClient, toServer)),
      { seed, numRuns: 40 },
    );
  });

  it('byte-preserving toxic chains (noop, latency 0, slicer, wide bandwidth) also forward byte-exact', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(preserving)),
        chunks,
        chunks,
        async (chain, toClient, toServer) => {
          await t.call('POST', '/reset');
          for (const toxic of preserving[chain]!) await t.call('POST', '/proxies/fwd/toxics', toxic);
          await roundTrip(toClient, toServer);
        },
      ),
      { seed, numRuns: 30 },
    );
    await t.call('POST', '/reset');
  });
});
