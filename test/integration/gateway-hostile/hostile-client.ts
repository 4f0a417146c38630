/**
 * A hostile client's tools: raw HTTP over a socket (any header, twice; any request target) and JSON-RPC
 * POSTs with a token. Everything to 127.0.0.1 with a deadline.
 */
import { connect } from 'node:net';
import { type GatewayHandle, type GatewaySection, startGateway } from '../../../src/gateway/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { gatewayConfig } from '../gateway/helpers.js';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends `head` (request line and headers, CRLF-joined, without the blank line) and `body`; reads the answer. */
export function rawHttp(port: number, head: string[], body = '', timeoutMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    s.on('data', (d) => chunks.push(d));
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const [top = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = top.split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body: rest.join('\r\n\r\n') });
    });
    const all = [...head, 'Connection: close', `Content-Length: ${Buffer.byteLength(body)}`];
    s.write(`${all.join('\r\n')}\r\n\r\n${body}`);
  });
}

export const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'hostile', version: '1' } },
};

export interface PostAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** A JSON-RPC POST to the gateway (2025 style unless headers say otherwise). */
export async function post(
  url: string,
  body: unknown,
  opts: { token?: string; session?: string; headers?: Record<string, string>; method?: string } = {},
): Promise<PostAnswer> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    ...(opts.session ? { 'mcp-session-id': opts.session, 'mcp-protocol-version': '2025-11-25' } : {}),
    ...opts.headers,
  };
  const res = await fetch(url, {
    method: opts.method ?? 'POST',
    headers,
    ...(opts.method === 'DELETE' || opts.method === 'GET'
      ? {}
      : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = opts.method === 'GET' ? '' : await res.text();
  if (opts.method === 'GET') await res.body?.cancel();
  return { status: res.status, headers: res.headers, text };
}

/** Opens a 2025 session for `token`; its id. */
export async function openSession(url: string, token?: string): Promise<string> {
  const r = await post(url, INIT, token === undefined ? {} : { token });
  const sid = r.headers.get('mcp-session-id');
  if (r.status !== 200 || sid === null) throw new Error(`initialize: ${r.status} ${r.text.slice(0, 200)}`);
  await post(
    url,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { ...(token ? { token } : {}), session: sid },
  );
  return sid;
}

/** The JSON text `[[[…"x"…]]]`, nested `n` deep (written out: no serializer involved). */
export function nestedText(n: number): string {
  return `${'['.repeat(n)}"x"${']'.repeat(n)}`;
}

/** A gateway in front of one 2025 mock server (no health probes), with the given `gateway:` section. */
export async function gatewayOverMock(
  server: string,
  section: GatewaySection,
  env: Record<string, string> = {},
): Promise<{ gw: GatewayHandle; upstream: MockServerHandle; close: () => Promise<void> }> {
  const upstream = await startMockServer({ protocol: 'legacy', response: 'json' });
  const gw = await startGateway({
    manager: {
      settings: { health: { probe: 'none' } },
      servers: [{ name: server, endpoints: [{ url: upstream.url }] }],
    },
    gateway: gatewayConfig(section, env),
    port: 0,
  });
  return {
    gw,
    upstream,
    close: async () => {
      await gw.close();
      await upstream.close();
    },
  };
}
