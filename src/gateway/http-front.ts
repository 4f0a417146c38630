/**
 * The gateway's HTTP face: `/mcp` (Streamable HTTP, both eras), `/healthz`, `/readyz`, `/metrics`. Every
 * `/mcp` and `/metrics` request passes Host, Origin and token checks (request-guards.ts), then the
 * per-client rate limit, then the body limit; a 2025 client's request goes to its session
 * (legacy-sessions.ts), anything else to the SDK's 2026-07-28 handler. Errors are JSON-RPC bodies with a
 * status and no stack trace; each request has an id (`x-request-id` back, and in the log lines).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type NodeMcpRequestHandler, toWebRequest } from '@modelcontextprotocol/node';
import { isLegacyRequest } from '@modelcontextprotocol/server';
import type { Clock } from '../core/clock.js';
import { jsonDeeperThan } from '../core/index.js';
import { watchAnswerErrors } from './answer-outcome.js';
import type { ClientInFlight } from './client-in-flight.js';
import type { GatewayConfig } from './gateway-config.js';
import type { GatewayLog } from './gateway-log.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { LegacySessions } from './legacy-sessions.js';
import type { RateLimiter } from './rate-limiter.js';
import { readJsonBody } from './read-body.js';
import { checkRequest, refusalReason, type TokenCheck } from './request-guards.js';

/** JSON-RPC methods counted under their own name in metrics (others: `other`). */
const KNOWN_METHODS = new Set([
  'initialize',
  'notifications/initialized',
  'server/discover',
  'subscriptions/listen',
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
  'notifications/cancelled',
]);

export interface ReadyState {
  ready: boolean;
  /** Servers below `minHealthyPerServer`, with their healthy count. */
  notReady: { server: string; healthy: number }[];
  /** Servers whose tool list has not come yet. */
  unlisted?: string[];
}

export interface HttpFrontDeps {
  clock: Clock;
  config: () => GatewayConfig;
  tokens: () => TokenCheck;
  limiter: () => RateLimiter;
  /** Requests in flight per client. */
  inFlight: ClientInFlight;
  /** `subscriptions/listen` streams open per client. */
  listens: ClientInFlight;
  /**
   * A 2026-07-28 listen stream naming resources (`notifications.resourceSubscriptions`): held upstream
   * while it is open (resource-subscriptions.ts); returns the release.
   */
  holdListen?: (uris: readonly unknown[]) => () => void;
  sessions: LegacySessions;
  modern: NodeMcpRequestHandler;
  metrics: GatewayMetrics;
  /** The manager's metrics text, served before the gateway's. */
  managerMetrics: () => Promise<string>;
  ready: () => ReadyState;
  log: GatewayLog;
  /** False once draining: new requests get 503. */
  accepting: () => boolean;
  /** A request that drain waits for has begun; the returned function marks its end. */
  begin: () => () => void;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function rpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers?: Record<string, string>,
) {
  send(res, status, { jsonrpc: '2.0', id: null, error: { code, message } }, headers);
}

/** How long a 429 is held before it is sent (ms). */
export const TARPIT_MS = 100;

/** Request revisions that are 2026-07-28 or later (the header alone then decides: no classification). */
const MODERN_HEADER = /^20(2[6-9]|[3-9]\d)-/;

/**
 * Whether a request is 2025-era: a session header or an `initialize` says so at once, a 2026-07-28
 * `MCP-Protocol-Version` header says not; anything else is classified by the SDK's own predicate (the same
 * code its handler routes with).
 */
async function isLegacy(req: IncomingMessage, body: unknown, maxBytes: number): Promise<boolean> {
  if (typeof req.headers['mcp-session-id'] === 'string') return true;
  if ((body as { method?: unknown } | undefined)?.method === 'initialize') return true;
  const version = req.headers['mcp-protocol-version'];
  if (typeof version === 'string' && MODERN_HEADER.test(version)) return false;
  return isLegacyRequest(await toWebRequest(req, body), body, { maxRequestBodySize: maxBytes });
}

export function createHttpFront(deps: HttpFrontDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { log, metrics } = deps;

  /**
   * A 429, held for {@link TARPIT_MS} before it is sent: a client flooding at its maximum then gets a few
   * refusals a second per connection rather than hundreds, and the gateway's CPU goes to the clients
   * within their rate. (A client within its rate never sees it; one over it was to wait anyway.)
   */
  const tooFast = (res: ServerResponse, reason: string, waitMs: number): 'refused' => {
    metrics.refused(reason);
    const answer = () =>
      rpcError(res, 429, -32000, 'rate limit exceeded', { 'retry-after': String(Math.ceil(waitMs / 1000)) });
    const timer = deps.clock.setTimeout(answer, TARPIT_MS);
    res.once('close', () => deps.clock.clearTimeout(timer));
    return 'refused';
  };

  const serveMcp = async (req: IncomingMessage, res: ServerResponse, rid: string): Promise<string> => {
    const config = deps.config();
    const tokens = deps.tokens();
    const refusal = checkRequest(
      req.headers,
      config.allowedHosts,
      config.allowedOrigins,
      tokens,
      req.rawHeaders,
    );
    if (refusal !== undefined) {
      // refusals are limited by address (a valid token from the same address is not): past the rate
      // a flood gets 429 and its connection closed, and no more log lines
      const wait = deps.limiter().take(`refused:${req.socket.remoteAddress}`);
      if (wait > 0) {
        res.setHeader('connection', 'close');
        return tooFast(res, 'rate-refused', wait);
      }
      metrics.refused(refusalReason(refusal));
      log.warn({ rid, status: refusal.status }, refusal.message);
      rpcError(res, refusal.status, -32001, refusal.message, refusal.headers);
      return 'refused';
    }
    const client = tokens.enabled
      ? `token:${tokens.match(req.headers.authorization)}`
      : `ip:${req.socket.remoteAddress}`;
    const waitMs = deps.limiter().take(client);
    if (waitMs > 0) return tooFast(res, 'rate', waitMs);
    let body: unknown;
    if (req.method === 'POST') {
      const read = await readJsonBody(req, config.maxBodyBytes);
      if (!read.ok) {
        metrics.refused('body');
        rpcError(res, read.status, read.status === 400 ? -32700 : -32600, read.message);
        return 'refused';
      }
      body = read.body;
      if (jsonDeeperThan(body, config.maxJsonDepth)) {
        metrics.refused('depth');
        log.warn({ rid, maxJsonDepth: config.maxJsonDepth }, 'request nested too deep: refused');
        rpcError(res, 400, -32600, `Invalid Request: nested deeper than ${config.maxJsonDepth} levels`);
        return 'refused';
      }
      // every request of a batch costs a token, not the batch one
      if (Array.isArray(body) && body.length > 1) {
        const batchWait = deps.limiter().take(client, body.length - 1);
        if (batchWait > 0) return tooFast(res, 'rate', batchWait);
      }
    } else if (req.method !== 'GET' && req.method !== 'DELETE') {
      rpcError(res, 405, -32600, `method ${req.method} not allowed`, { allow: 'GET, POST, DELETE' });
      return 'refused';
    }
    const method = (body as { method?: unknown } | undefined)?.method;
    // a client's notification streams are bounded apart from its requests (they live long)
    if (req.method === 'POST' && method === 'subscriptions/listen') {
      const leave = deps.listens.enter(client);
      if (leave === undefined) {
        metrics.refused('listen-streams');
        rpcError(res, 429, -32000, `too many listen streams for this client (${config.listenPerClient})`, {
          'retry-after': '5',
        });
        return 'refused';
      }
      res.once('close', leave);
    }
    // drain waits for requests, not for long-lived notification streams; neither do the client's slots
    if (req.method === 'POST' && method !== 'subscriptions/listen') {
      const leave = deps.inFlight.enter(client);
      if (leave === undefined) {
        metrics.refused('in-flight');
        rpcError(
          res,
          429,
          -32000,
          `too many requests in flight for this client (${config.inFlightPerClient})`,
          {
            'retry-after': '1',
          },
        );
        return 'refused';
      }
      res.once('close', leave);
      res.once('close', deps.begin());
    }
    const label =
      typeof method === 'string' ? (KNOWN_METHODS.has(method) ? method : 'other') : `${req.method} /mcp`;
    const version = req.headers['mcp-protocol-version'];
    if (method === 'initialize' && typeof version === 'string' && MODERN_HEADER.test(version)) {
      // 2026-07-28 has no initialize: method not found, as a 2026-07-28 server answers it (not a 400)
      const id = (body as { id?: unknown }).id;
      send(res, 404, {
        jsonrpc: '2.0',
        id: typeof id === 'string' || typeof id === 'number' ? id : null,
        error: {
          code: -32601,
          message: `Method not found: initialize is not a ${version} method (server/discover is)`,
        },
      });
      return label;
    }
    const legacy = await isLegacy(req, body, config.maxBodyBytes);
    if (!legacy && method === 'subscriptions/listen' && deps.holdListen) {
      const params = (body as { params?: { notifications?: { resourceSubscriptions?: unknown } } }).params;
      const uris = params?.notifications?.resourceSubscriptions;
      if (Array.isArray(uris) && uris.length > 0) res.once('close', deps.holdListen(uris));
    }
    if (!legacy) {
      await deps.modern(req, res, body);
      return label;
    }
    const answer = await deps.sessions.handle(req, res, body, client);
    if (answer === 'unknown-session') rpcError(res, 404, -32001, 'Session not found');
    else if (answer === 'no-session') rpcError(res, 400, -32000, 'Bad Request: No valid session ID provided');
    else if (answer === 'duplicate-id') {
      metrics.refused('duplicate-id');
      rpcError(
        res,
        400,
        -32600,
        'Invalid Request: a request with this id is already in flight in this session',
      );
    } else if (answer === 'client-quota') {
      metrics.refused('sessions-per-client');
      log.warn({ rid }, 'session refused: this client holds its quota of sessions, none idle');
      rpcError(res, 429, -32000, 'too many sessions for this client (none idle)', { 'retry-after': '5' });
    } else if (answer === 'too-many-sessions') {
      metrics.refused('sessions');
      log.warn({ rid }, 'session refused: the session table is full, none idle');
      rpcError(res, 503, -32000, 'too many sessions', { 'retry-after': '5' });
    }
    return label;
  };

  const serveOps = async (path: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (path === '/healthz') return send(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const r = deps.ready();
      return send(
        res,
        r.ready ? 200 : 503,
        r.ready
          ? { status: 'ready' }
          : { status: 'not ready', servers: r.notReady, ...(r.unlisted ? { unlisted: r.unlisted } : {}) },
      );
    }
    const config = deps.config();
    const refusal = checkRequest(
      req.headers,
      config.allowedHosts,
      config.allowedOrigins,
      deps.tokens(),
      req.rawHeaders,
    );
    if (refusal !== undefined) {
      metrics.refused(refusalReason(refusal));
      return rpcError(res, refusal.status, -32001, refusal.message, refusal.headers);
    }
    const text = `${await deps.managerMetrics()}\n${await metrics.text()}`;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(text);
  };

  // request ids: one random prefix per gateway, then a counter (a UUID per request costs more than it says)
  const boot = randomUUID().slice(0, 8);
  let seq = 0;
  return (req, res) => {
    const rid = `${boot}-${(++seq).toString(36)}`;
    res.setHeader('x-request-id', rid);
    const t0 = deps.clock.now();
    // origin-form only (`/mcp?x`): an absolute-form or malformed target is the client's error
    const target = req.url ?? '';
    if (!target.startsWith('/') || target.startsWith('//')) {
      metrics.refused('headers');
      rpcError(res, 400, -32600, 'the request target must be a path (origin-form)');
      return;
    }
    const path = new URL(target, 'http://gateway').pathname;
    if (!deps.accepting()) {
      rpcError(res, 503, -32000, 'the gateway is shutting down', { connection: 'close' });
      return;
    }
    // a JSON-RPC error answered with HTTP 200 (the 2025 wire) is an error too (answer-outcome.ts)
    const errored = path === '/mcp' ? watchAnswerErrors(res) : () => false;
    const work =
      path === '/mcp'
        ? serveMcp(req, res, rid)
        : path === '/healthz' || path === '/readyz' || path === '/metrics'
          ? serveOps(path, req, res).then(() => path)
          : Promise.resolve(rpcError(res, 404, -32601, `not found: ${path}`)).then(() => 'not-found');
    work
      .then((label) => {
        if (label !== 'refused' && path === '/mcp') {
          const outcome = res.statusCode >= 400 || errored() ? 'error' : 'ok';
          metrics.request(label, outcome, (deps.clock.now() - t0) / 1000);
          log.debug({ rid, method: label, status: res.statusCode, ms: deps.clock.now() - t0 }, 'request');
        }
      })
      .catch((e: unknown) => {
        log.error({ rid, err: e instanceof Error ? e.message : String(e) }, 'request failed');
        metrics.request(path, 'error', (deps.clock.now() - t0) / 1000);
        rpcError(res, 500, -32603, 'internal error');
      });
  };
}
