/**
 * A hand-written, deliberately hostile MCP server over HTTP (127.0.0.1, port 0): it completes the
 * initialize handshake properly, then answers `tools/call` the way a test says — a huge JSON body streamed
 * in chunks, a huge error page, ... — without ever holding the whole answer in memory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HostileAnswer =
  | { kind: 'big-json'; bytes: number }
  | { kind: 'error-page'; status: number; bytes: number }
  | { kind: 'ok' }
  /** A complete JSON answer carrying another id. */
  | { kind: 'wrong-id' }
  /** `content-type: text/event-stream` with a plain JSON body. */
  | { kind: 'json-as-sse' }
  /** 200 with `content-type: text/html`. */
  | { kind: 'html-200' }
  /** The answer one byte at a time, `everyMs` apart. */
  | { kind: 'trickle'; everyMs: number }
  /** Headers, then nothing ever. */
  | { kind: 'headers-then-nothing' }
  /** An SSE answer of comments only (`: keep-alive`), `everyMs` apart, never an event. */
  | { kind: 'sse-comments'; everyMs: number }
  /** A redirect to `location` (relative to the server). */
  | { kind: 'redirect'; status: number; location: string }
  /** `body` with the given status and content-type; `$ID` in it becomes the request's id. */
  | { kind: 'template'; status: number; contentType: string; body: Buffer };

/** What the server sends on the GET notification stream. */
export type HostileStream =
  | { kind: 'none' }
  /** `count` server→client `ping` requests, as fast as the socket takes them. */
  | { kind: 'ping-flood'; count: number }
  /** `count` `notifications/tools/list_changed`, as fast as the socket takes them. */
  | { kind: 'list-changed-flood'; count: number };

export interface HostileServer {
  url: string;
  answer: HostileAnswer;
  /** Bytes of answer bodies written so far. */
  written: number;
  /** Events written on GET notification streams so far. */
  readonly streamed: number;
  /** POSTed answers to server→client requests received so far. */
  readonly answers: number;
  /** `tools/list` pages answered with a next cursor (endlessTools). */
  readonly toolPages: number;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 'a');

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

/** Writes `bytes` filler bytes, respecting back-pressure, then `tail`; stops if the client goes away. */
function stream(res: ServerResponse, bytes: number, tail: string, count: (n: number) => void): void {
  let left = bytes;
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, CHUNK.length);
      left -= n;
      count(n);
      if (!res.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end(tail);
  };
  res.on('close', () => {
    left = 0;
  });
  pump();
}

/** Writes `count` SSE events made by `event(i)`, respecting back-pressure; stops if the client goes away. */
function flood(res: ServerResponse, count: number, event: (i: number) => string, sent: () => void): void {
  let i = 0;
  let gone = false;
  res.on('close', () => {
    gone = true;
  });
  const pump = () => {
    while (i < count && !gone) {
      sent();
      if (!res.write(`data: ${event(i++)}\n\n`)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

function getStream(res: ServerResponse, s: HostileStream, sent: () => void): void {
  if (s.kind === 'none') {
    res.writeHead(405).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.flushHeaders();
  if (s.kind === 'ping-flood')
    flood(res, s.count, (i) => JSON.stringify({ jsonrpc: '2.0', id: `srv-${i}`, method: 'ping' }), sent);
  else
    flood(
      res,
      s.count,
      () => JSON.stringify({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' }),
      sent,
    );
}

export interface HostileOptions {
  /** What the GET notification stream carries (default: no stream, 405). */
  stream?: HostileStream;
  /** Never answer `initialize` (headers only). */
  hangInitialize?: boolean;
  /** What `tools/list` answers (default: `{}`, no tools). */
  tools?: Array<{ name: string; inputSchema?: Record<string, unknown> }>;
  /** Every `tools/list` page says there is another (a new cursor each time). */
  endlessTools?: boolean;
  /** Never answer `tools/list` (headers only). */
  hangToolsList?: boolean;
}

export async function startHostileServer(
  answer: HostileAnswer,
  options: HostileOptions = {},
): Promise<HostileServer> {
  const onStream = options.stream ?? { kind: 'none' };
  const sockets = new Set<import('node:net').Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state = { answer, written: 0, streamed: 0, answers: 0, pages: 0 };
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'GET') {
      getStream(res, onStream, () => state.streamed++);
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const msg = JSON.parse(await readBody(req)) as {
      id?: number;
      method?: string;
      params?: { protocolVersion?: string };
    };
    if (msg.id === undefined || msg.method === undefined) {
      if (msg.method === undefined) state.answers++;
      res.writeHead(202).end();
      return;
    }
    if (msg.method === 'initialize' && options.hangInitialize) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      return;
    }
    if (msg.method === 'initialize') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          jsonrpc: '2.0',
          id: msg.id,
          result: {
            protocolVersion: msg.params?.protocolVersion ?? '2025-06-18',
            // logging: some of its answers carry log messages (a gateway relays them only when one declares it)
            capabilities: { tools: {}, logging: {} },
            serverInfo: { name: 'hostile', version: '1.0.0' },
          },
        }),
      );
      return;
    }
    if (msg.method === 'tools/list' && options.hangToolsList) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      return;
    }
    if (msg.method === 'tools/list' && options.tools !== undefined) {
      const tools = options.tools.map((t) => ({ inputSchema: { type: 'object' }, ...t }));
      const more = options.endlessTools ? { nextCursor: `page-${++state.pages}` } : {};
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { tools, ...more } }));
      return;
    }
    if (msg.method !== 'tools/call') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: {} }));
      return;
    }
    const a = state.answer;
    const count = (n: number) => {
      state.written += n;
    };
    if (a.kind === 'big-json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`{"jsonrpc":"2.0","id":${msg.id},"result":{"content":[{"type":"text","text":"`);
      stream(res, a.bytes, '"}]}}', count);
    } else if (a.kind === 'error-page') {
      res.writeHead(a.status, { 'content-type': 'text/html' });
      stream(res, a.bytes, '</html>', count);
    } else if (a.kind === 'wrong-id') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id: msg.id + 1000, result: { content: [] } }));
    } else if (a.kind === 'json-as-sse' || a.kind === 'html-200') {
      const type = a.kind === 'html-200' ? 'text/html' : 'text/event-stream';
      res
        .writeHead(200, { 'content-type': type })
        .end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { content: [] } }));
    } else if (a.kind === 'trickle' || a.kind === 'sse-comments') {
      const sse = a.kind === 'sse-comments';
      res.writeHead(200, { 'content-type': sse ? 'text/event-stream' : 'application/json' });
      res.flushHeaders();
      const text = `{"jsonrpc":"2.0","id":${msg.id},"result":{"content":[]}}`;
      let i = 0;
      const timer = setInterval(() => {
        if (sse) res.write(': keep-alive\n\n');
        else if (i < text.length) res.write(text[i++] as string);
        else res.end();
      }, a.everyMs);
      timers.add(timer);
      res.on('close', () => {
        clearInterval(timer);
        timers.delete(timer);
      });
    } else if (a.kind === 'headers-then-nothing') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
    } else if (a.kind === 'redirect') {
      res.writeHead(a.status, { location: a.location }).end();
    } else if (a.kind === 'template') {
      const body = a.body.toString('latin1').replaceAll('$ID', String(msg.id));
      res.writeHead(a.status, { 'content-type': a.contentType }).end(Buffer.from(body, 'latin1'));
    } else {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: 'ok' }] } }),
        );
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    get answer() {
      return state.answer;
    },
    set answer(a: HostileAnswer) {
      state.answer = a;
    },
    get written() {
      return state.written;
    },
    get streamed() {
      return state.streamed;
    },
    get answers() {
      return state.answers;
    },
    get toolPages() {
      return state.pages;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
