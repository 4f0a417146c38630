import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, errorMessage, type Rng } from '../../core/index.js';
import type { ProxyLogger } from '../logger.js';
import { ToxiproxyApiError } from '../model/api-error.js';
import { requestIdGenerator } from './request-id.js';
import { cleanPath, splitTarget, unescapePath } from './request-path.js';
import { type ApiResponse, emptyResponse, errorResponse, plainError } from './responses.js';
import { matchRoute, type Route } from './routes.js';

/** Options of the API server. */
export interface ApiServerOptions {
  routes: readonly Route[];
  clock: Clock;
  /** Seeds request ids. */
  rng: Rng;
  logger: ProxyLogger;
  /** Largest request body accepted, in bytes; larger ones get 413. */
  maxBodyBytes: number;
}

/** Rejected before any handler ran. */
class BodyTooLarge extends Error {}

/**
 * Toxiproxy's HTTP API on node:http: gorilla/mux-like routing (path cleaning with 301, 404 text, 405 with an
 * empty body), a request id and the browser guard on matched routes, bodies capped in size, and handlers run
 * one at a time (like the real server's collection lock). Nothing a client sends can crash it.
 */
export class ApiServer {
  private readonly server: Server;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly nextRequestId: () => string;
  private closed = false;

  constructor(private readonly options: ApiServerOptions) {
    this.nextRequestId = requestIdGenerator(options.clock, options.rng);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        options.logger.error({ err: errorMessage(e) }, 'api request failed');
        if (!res.headersSent) send(res, errorResponse({ message: errorMessage(e), status: 500 }));
        else res.destroy();
      });
    });
    this.server.on('clientError', (_e, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }

  /** Binds; resolves with the bound address. */
  async listen(host: string, port: number): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host, port, exclusive: true }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.server.on('error', (e) => this.options.logger.error({ err: e.message }, 'api server error'));
    return this.server.address() as AddressInfo;
  }

  /** Stops accepting, closes keep-alive connections and waits for running handlers. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await Promise.all([done, this.queue.catch(() => {})]);
  }

  /** Runs `task` after every earlier one (mutations are serialized like the real server's lock). */
  serialize<T>(task: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const { path: rawPath, query } = splitTarget(req.url ?? '/');
    const path = unescapePath(rawPath);
    if (path === undefined) {
      res.setHeader('Connection', 'close');
      send(res, {
        status: 400,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: '400 Bad Request',
      });
      return;
    }
    const cleaned = cleanPath(path);
    if (cleaned !== path) {
      send(res, { status: 301, headers: { Location: encodeURI(cleaned) + query }, body: '' });
      return;
    }
    const match = matchRoute(this.options.routes, method, path);
    if (match === undefined) {
      send(res, plainError(404, '404 page not found'));
      return;
    }
    if (match === 'method') {
      send(res, emptyResponse(405));
      return;
    }
    const requestId = this.nextRequestId();
    res.setHeader('X-Toxiproxy-Request-Id', requestId);
    if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
      send(res, plainError(403, 'User agent not allowed'));
      return;
    }
    let body: string;
    try {
      body = await readBody(req, this.options.maxBodyBytes);
    } catch (e) {
      if (!(e instanceof BodyTooLarge)) throw e;
      const limit = this.options.maxBodyBytes;
      res.setHeader('Connection', 'close');
      send(
        res,
        errorResponse({ message: `request body too large: the limit is ${limit} bytes`, status: 413 }),
      );
      return;
    }
    const started = this.options.clock.now();
    const response = await this.serialize(async () => {
      try {
        return await match.handler({ params: match.params, body });
      } catch (e) {
        if (e instanceof ToxiproxyApiError) return errorResponse(e);
        this.options.logger.error({ err: errorMessage(e), method, path }, 'api handler failed');
        return errorResponse({ message: errorMessage(e), status: 500 });
      }
    });
    send(res, response);
    this.options.logger.debug(
      { requestId, method, path, status: response.status, durationMs: this.options.clock.now() - started },
      'api request',
    );
  }
}

function send(res: ServerResponse, response: ApiResponse): void {
  const body = Buffer.from(response.body, 'utf8');
  const headers =
    response.status === 204
      ? response.headers
      : { ...response.headers, 'Content-Length': String(body.length) };
  res.writeHead(response.status, headers);
  res.end(body);
}

/** Reads the whole body as UTF-8 text; rejects with BodyTooLarge past `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(new BodyTooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
