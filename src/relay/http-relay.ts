/**
 * The HTTP relay: an MCP-aware hop in front of one HTTP endpoint (behind its Toxiproxy proxy, so
 * Toxiproxy stays the L4 layer). It forwards every request byte for byte to the server, reading each POST
 * body (bounded) to know the JSON-RPC method and tool; while an `mcp` fault is set, the requests it
 * selects get its action. Every `tools/call` that reaches it is logged, forwarded or answered by a fault
 * (the execution log of a server the runner cannot look into). When the server cannot be reached the
 * client's connection is closed, as a refused or reset connection would be. The upstream can be changed
 * while it runs (a deploy's new replica behind the same address).
 */
import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import type { Clock } from '../core/clock.js';
import { answerInstead, shapeAnswer } from './actions/index.js';
import { FaultSelector } from './fault-selector.js';
import { listen } from './listen.js';
import type { McpFault } from './mcp-fault.js';
import { RelayLog } from './relay-log.js';
import { type RequestInfo, requestInfo } from './request-info.js';

/** Longest request body the relay reads (bytes); a longer one is refused with 413. */
export const MAX_RELAY_REQUEST_BYTES = 4 * 1024 * 1024;

export interface HttpRelayOptions {
  /** Where the server listens. */
  upstream: { host: string; port: number };
  clock: Clock;
  /** Listen address (default 127.0.0.1, port 0). */
  host?: string;
  port?: number;
}

export interface HttpRelay {
  readonly host: string;
  readonly port: number;
  /** Switches an mcp fault on (RangeError when invalid) or off. */
  setFault(fault: McpFault | undefined): void;
  /** The fault in force. */
  readonly fault: McpFault | undefined;
  /** Requests the current and past faults hit. */
  readonly hits: number;
  /** Sends what follows to another server. */
  setUpstream(upstream: { host: string; port: number }): void;
  readonly log: RelayLog;
  close(): Promise<void>;
}

const DROP_REQUEST = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

export async function startHttpRelay(o: HttpRelayOptions): Promise<HttpRelay> {
  let upstream = { ...o.upstream };
  const selector = new FaultSelector();
  const log = new RelayLog();
  const hung = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.socket?.destroy());
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readRequest(req);
    if (body === 'too-large') {
      res.writeHead(413, { 'content-type': 'text/plain' });
      res.end(`request body over ${MAX_RELAY_REQUEST_BYTES} bytes`);
      return;
    }
    const info =
      body.length > 0 ? requestInfo(parseJson(body), req.headers) : requestInfo(undefined, req.headers);
    const action = selector.pick(info);
    const t = o.clock.now();
    if (action && answerInstead(action, info, res)) {
      if (info.method === 'tools/call') log.record(logRecord(info, t, action.kind));
      return;
    }
    if (info.method === 'tools/call' && info.isRequest) log.record(logRecord(info, t));
    forward(req, res, body, action);
  }

  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    action: ReturnType<FaultSelector['pick']>,
  ): void {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined && !DROP_REQUEST.has(k)) headers[k] = v;
    }
    headers.host = `${upstream.host}:${upstream.port}`;
    if (req.method !== 'GET' && req.method !== 'HEAD') headers['content-length'] = String(body.length);
    const up = request({
      host: upstream.host,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers,
      agent,
    });
    up.on('response', (answer) => shapeAnswer(action, answer, res, { clock: o.clock, hung }));
    up.on('error', () => {
      // refused, reset or cut by the server: the client sees its connection go the same way
      if (!res.headersSent) res.socket?.destroy();
      else res.socket?.end();
    });
    res.once('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    up.end(body);
  }

  const addr = await listen(server, o.host, o.port);
  return {
    host: addr.address,
    port: addr.port,
    setFault: (f) => selector.set(f),
    get fault() {
      return selector.active;
    },
    get hits() {
      return selector.hits;
    },
    setUpstream(u) {
      upstream = { ...u };
    },
    log,
    async close() {
      for (const r of hung) r.socket?.destroy();
      hung.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      agent.destroy();
      await closed;
    },
  };
}

function logRecord(info: RequestInfo, t: number, faulted?: McpFault['action']['kind']) {
  return {
    tool: info.tool ?? '',
    t,
    ...(info.call !== undefined ? { call: info.call } : {}),
    ...(faulted !== undefined ? { faulted } : {}),
  };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

async function readRequest(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_RELAY_REQUEST_BYTES) {
    req.resume();
    return 'too-large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_RELAY_REQUEST_BYTES) {
      req.resume();
      return 'too-large';
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}
