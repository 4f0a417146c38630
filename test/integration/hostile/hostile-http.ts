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
  | { kind: 'ok' };

export interface HostileServer {
  url: string;
  answer: HostileAnswer;
  /** Bytes of answer bodies written so far. */
  written: number;
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

export async function startHostileServer(answer: HostileAnswer): Promise<HostileServer> {
  const sockets = new Set<import('node:net').Socket>();
  const state = { answer, written: 0 };
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const msg = JSON.parse(await readBody(req)) as {
      id?: number;
      method?: string;
      params?: { protocolVersion?: string };
    };
    if (msg.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    if (msg.method === 'initialize') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          jsonrpc: '2.0',
          id: msg.id,
          result: {
            protocolVersion: msg.params?.protocolVersion ?? '2025-06-18',
            capabilities: { tools: {} },
            serverInfo: { name: 'hostile', version: '1.0.0' },
          },
        }),
      );
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
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
