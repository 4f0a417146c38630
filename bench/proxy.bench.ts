/**
 * Throughput and connection-rate overhead of the embedded Toxiproxy with no toxics: bulk MB/s and
 * connections/s (connect + one 1-byte round trip + close), direct vs through a proxy. Everything runs in
 * this process on 127.0.0.1 (client, proxy, upstream share one event loop), as in the chaos harness.
 *
 *   npx tsx bench/proxy.bench.ts [durationMs]     prints a table
 */
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { startToxiproxy } from '../src/proxy/index.js';

export interface ProxyBenchResult {
  /** Bulk transfer, client → sink, MB/s (10^6 bytes). */
  directMBps: number;
  proxiedMBps: number;
  /** proxied / direct. */
  throughputRatio: number;
  /** Connections per second, each: connect, send 1 byte, receive its echo, close. */
  directConnsPerSec: number;
  proxiedConnsPerSec: number;
  /** proxied / direct. */
  connRatio: number;
}

export interface ProxyBenchOptions {
  /** Total measuring time in ms, split over the four measurements (plus short warm-ups). Default 4000. */
  durationMs?: number;
  /** Parallel connection loops in the connection-rate test. Default 8. */
  concurrency?: number;
  /** Alternating direct/proxied rounds; medians are reported. Default 3. */
  rounds?: number;
}

const BLOCK = Buffer.alloc(64 * 1024, 0x61);

async function listen(
  onConnection: (socket: Socket) => void,
): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

async function close(s: { server: Server; sockets: Set<Socket> }): Promise<void> {
  for (const socket of s.sockets) socket.destroy();
  await new Promise<void>((resolve) => s.server.close(() => resolve()));
}

/** Streams blocks to `port` for `ms`, honouring backpressure; returns MB/s counted at the sink. */
async function bulk(port: number, sinkCounter: { bytes: number }, ms: number): Promise<number> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let running = true;
  const pump = () => {
    while (running && socket.write(BLOCK)) {}
  };
  socket.on('drain', pump);
  pump();
  await sleep(Math.min(100, ms / 4)); // warm-up
  const startBytes = sinkCounter.bytes;
  const started = performance.now();
  await sleep(ms);
  const bytes = sinkCounter.bytes - startBytes;
  const seconds = (performance.now() - started) / 1000;
  running = false;
  socket.destroy();
  return bytes / 1e6 / seconds;
}

/** One connection: connect, 1-byte round trip, close. */
function oneConnection(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    socket.once('connect', () => socket.write('x'));
    socket.once('data', () => socket.destroy());
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
}

/** Runs `concurrency` connect/round-trip/close loops for `ms`; returns connections per second. */
async function connectionRate(port: number, ms: number, concurrency: number): Promise<number> {
  const loop = async (until: number, count: { n: number }) => {
    while (performance.now() < until) {
      await oneConnection(port);
      count.n++;
    }
  };
  await Promise.all(
    Array.from({ length: concurrency }, () => loop(performance.now() + Math.min(100, ms / 4), { n: 0 })),
  );
  const count = { n: 0 };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, () => loop(started + ms, count)));
  return count.n / ((performance.now() - started) / 1000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/**
 * Measures direct vs proxied bulk throughput and connection rate with no toxics. Direct and proxied runs
 * alternate over `rounds` rounds so background load hits both alike; values are medians, ratios the
 * median of the per-round ratios.
 */
export async function benchProxy(opts: ProxyBenchOptions = {}): Promise<ProxyBenchResult> {
  const durationMs = opts.durationMs ?? 4000;
  const concurrency = opts.concurrency ?? 8;
  const rounds = opts.rounds ?? 3;
  const each = durationMs / (4 * rounds);
  const sinkCounter = { bytes: 0 };
  const sink = await listen((socket) => socket.on('data', (d: Buffer) => (sinkCounter.bytes += d.length)));
  const echo = await listen((socket) => socket.pipe(socket));
  const toxiproxy = await startToxiproxy({ port: 0, seed: 1 });
  try {
    const create = async (name: string, upstreamPort: number) => {
      const res = await fetch(`${toxiproxy.url}/proxies`, {
        method: 'POST',
        body: JSON.stringify({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` }),
      });
      const proxy = (await res.json()) as { listen: string };
      return Number(proxy.listen.split(':')[1]);
    };
    const sinkProxy = await create('sink', sink.port);
    const echoProxy = await create('echo', echo.port);
    const m = {
      direct: [] as number[],
      proxied: [] as number[],
      directC: [] as number[],
      proxiedC: [] as number[],
    };
    for (let round = 0; round < rounds; round++) {
      m.direct.push(await bulk(sink.port, sinkCounter, each));
      m.proxied.push(await bulk(sinkProxy, sinkCounter, each));
      m.directC.push(await connectionRate(echo.port, each, concurrency));
      m.proxiedC.push(await connectionRate(echoProxy, each, concurrency));
    }
    return {
      directMBps: median(m.direct),
      proxiedMBps: median(m.proxied),
      throughputRatio: median(m.proxied.map((p, i) => p / m.direct[i]!)),
      directConnsPerSec: median(m.directC),
      proxiedConnsPerSec: median(m.proxiedC),
      connRatio: median(m.proxiedC.map((p, i) => p / m.directC[i]!)),
    };
  } finally {
    await toxiproxy.close();
    await close(sink);
    await close(echo);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const durationMs = process.argv[2] ? Number(process.argv[2]) : undefined;
  const r = await benchProxy(durationMs === undefined ? {} : { durationMs });
  const fmt = (n: number, digits = 0) => n.toFixed(digits).padStart(10);
  console.log('embedded toxiproxy, no toxics (client, proxy and upstream in one process)');
  console.log(`                     direct     proxied      ratio`);
  console.log(`bulk MB/s        ${fmt(r.directMBps)}  ${fmt(r.proxiedMBps)}  ${fmt(r.throughputRatio, 2)}`);
  console.log(
    `connections/s    ${fmt(r.directConnsPerSec)}  ${fmt(r.proxiedConnsPerSec)}  ${fmt(r.connRatio, 2)}`,
  );
}
