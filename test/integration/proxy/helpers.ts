import { request as httpRequest } from 'node:http';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { startToxiproxy, type ToxiproxyOptions, type ToxiproxyServer } from '../../../src/proxy/index.js';

/** A raw HTTP answer. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends one request with full control over method, body bytes and headers (default UA `test`). */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const url = new URL(baseUrl);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          'User-Agent': 'test',
          Connection: 'close',
          ...(body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) }),
          ...headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A started embedded server plus a JSON helper. */
export async function startServer(options: ToxiproxyOptions = {}) {
  const server = await startToxiproxy({ port: 0, seed: 1234, ...options });
  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    rawRequest(
      server.url,
      method,
      path,
      body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      headers,
    );
  /** Creates a proxy on an ephemeral port and returns its bound port. */
  const createProxy = async (name: string, upstream: string, extra: Record<string, unknown> = {}) => {
    const answer = await call('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream, ...extra });
    if (answer.status !== 201) throw new Error(`create proxy ${name}: ${answer.status} ${answer.body}`);
    const proxy = JSON.parse(answer.body) as { listen: string };
    return Number(proxy.listen.slice(proxy.listen.lastIndexOf(':') + 1));
  };
  return { server, call, createProxy };
}

/** A TCP server on 127.0.0.1:0. */
export async function listenTcp(
  onConnection: (socket: Socket) => void,
): Promise<{ port: number; server: Server; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An echo server. */
export function startEcho() {
  return listenTcp((socket) => socket.pipe(socket));
}

/** A free port with nothing listening on it (bound, then released). */
export async function deadPort(): Promise<number> {
  const s = await listenTcp(() => {});
  await s.close();
  return s.port;
}

/** How a client connection ended. */
export interface ClientEnd {
  /** Error code (ECONNRESET, ECONNREFUSED) or undefined for a clean EOF. */
  code: string | undefined;
  /** Everything received. */
  data: Buffer;
  /** Milliseconds from `connect()` to close. */
  afterMs: number;
  connected: boolean;
}

/** A raw client on 127.0.0.1:port that records what it receives and how it ends. */
export function tcpClient(port: number) {
  const started = performance.now();
  const socket = connect({ port, host: '127.0.0.1' });
  const chunks: Array<{ data: Buffer; atMs: number }> = [];
  let connected = false;
  let code: string | undefined;
  socket.on('connect', () => {
    connected = true;
  });
  socket.on('data', (data: Buffer) => chunks.push({ data, atMs: performance.now() - started }));
  socket.on('error', (e: NodeJS.ErrnoException) => {
    code = e.code;
  });
  const ended = new Promise<ClientEnd>((resolve) => {
    socket.on('close', () =>
      resolve({
        code,
        data: Buffer.concat(chunks.map((c) => c.data)),
        afterMs: performance.now() - started,
        connected,
      }),
    );
  });
  const received = () => Buffer.concat(chunks.map((c) => c.data));
  /** Resolves once at least `bytes` bytes arrived (or the socket closed). */
  const waitFor = (bytes: number, timeoutMs = 5000) =>
    new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${bytes} bytes, got ${received().length}`)),
        timeoutMs,
      );
      const check = () => {
        if (received().length >= bytes || socket.destroyed) {
          clearTimeout(timer);
          socket.off('data', check);
          socket.off('close', check);
          resolve(received());
        }
      };
      socket.on('data', check);
      socket.on('close', check);
      check();
    });
  const ready = new Promise<void>((resolve) => {
    if (connected) resolve();
    socket.once('connect', () => resolve());
    socket.once('close', () => resolve());
  });
  return { socket, chunks, ended, waitFor, ready, started, received };
}

export { tolerance } from '../../helpers/timing.js';
export type { ToxiproxyServer };
