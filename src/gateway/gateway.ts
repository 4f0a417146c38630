/**
 * `startGateway`: the manager as one MCP endpoint. Starts an {@link McpManager} on the fleet, then serves
 * it over Streamable HTTP (http-front.ts) — or, with `stdio`, to one client on stdin/stdout
 * (stdio-front.ts). Reloads bring the manager and the gateway section to a new config (only changed
 * endpoints touched; a bad config leaves the old one in force); close() drains.
 */
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, type McpHttpHandler } from '@modelcontextprotocol/server';
import { type Clock, systemClock } from '../core/clock.js';
import { ChaosError } from '../core/errors.js';
import {
  type LoadedManagerConfig,
  McpManager,
  RELAYED_CAPABILITIES,
  type ReloadResult,
} from '../manager/index.js';
import { CatalogSkips } from './catalog-skips.js';
import { ClientInFlight } from './client-in-flight.js';
import { ClientRoots } from './client-roots.js';
import { createGuardedServer } from './connection-guard.js';
import { FleetCatalog } from './fleet-catalog.js';
import { logFleetChanges } from './fleet-log.js';
import type { GatewayConfig } from './gateway-config.js';
import { type GatewayLog, silentLog } from './gateway-log.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { createGatewayServer } from './gateway-server.js';
import { createHttpFront } from './http-front.js';
import { InputBridge } from './input-bridge.js';
import { LegacySessions } from './legacy-sessions.js';
import { ListChangeRelay } from './list-change-relay.js';
import { RateLimiter } from './rate-limiter.js';
import { readyState } from './ready-state.js';
import { TokenCheck } from './request-guards.js';
import { ResourceSubscriptions } from './resource-subscriptions.js';
import { LIST_WAIT_MS } from './tool-lists.js';

export interface GatewayOptions {
  /** The fleet (the manager config's `settings` and `servers`). */
  manager: LoadedManagerConfig;
  /** The `gateway:` section, resolved. */
  gateway: GatewayConfig;
  /** Bind address (default 127.0.0.1). The caller enforces --allow-remote. */
  host?: string;
  /** Port (default 8080; 0 picks a free one). */
  port?: number;
  clock?: Clock;
  log?: GatewayLog;
  /** Told to clients as the server's version. */
  version?: string;
  /** Bound on each endpoint's first connect at start, ms (default: each endpoint's connectTimeout setting). */
  connectTimeoutMs?: number;
}

export interface GatewayHandle {
  /** `http://host:port/mcp`. */
  readonly url: string;
  readonly port: number;
  readonly manager: McpManager;
  /** Calls of 2026-07-28 clients parked until they answer a 2025 upstream's request (input-bridge.ts). */
  readonly inputWaiting: number;
  /** Resource subscriptions held upstream (`size`: how many server/URI pairs now). */
  readonly subscriptions: Pick<ResourceSubscriptions, 'size'>;
  /** Brings the fleet and the gateway section to a new config; rejects (old one kept) when invalid. */
  reload(next: { manager: LoadedManagerConfig; gateway: GatewayConfig }): Promise<ReloadResult>;
  /** Stops accepting, lets requests in flight finish for up to `drain`, then closes everything. Idempotent. */
  close(): Promise<void>;
}

/** Manager, catalogue and the per-request server factory shared by the HTTP and stdio faces. */
export interface GatewayCore {
  manager: McpManager;
  catalog: FleetCatalog;
  config: () => GatewayConfig;
  setConfig(next: GatewayConfig): void;
  newServer: () => ReturnType<typeof createGatewayServer>;
  relay: ListChangeRelay;
  /** What the catalogue left out (collisions, invalid names, refused lists). */
  skips: CatalogSkips;
  /** Resource subscriptions of every client, held upstream once per URI. */
  subscriptions: ResourceSubscriptions;
  /** 2025 upstreams' requests to 2026-07-28 clients (input-bridge.ts). */
  bridge: InputBridge;
  close(): Promise<void>;
}

/**
 * Starts the manager and lists the fleet; a name two items would share, or one outside MCP's rules, is
 * skipped with a warning (catalog-skips.ts) — at start as on reload, never an exit.
 */
export async function startGatewayCore(options: GatewayOptions): Promise<GatewayCore> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLog;
  let config = options.gateway;
  // 2025 servers may ask the gateway's clients for sampling and elicitation (relayed per call)
  // 2026-07-28 servers may answer input_required (passed to the client, whose retry carries the answer)
  // roots: a 2025 upstream asking outside a call gets the latest list a client gave (client-roots.ts)
  let managerRef: McpManager | undefined;
  const roots = new ClientRoots(() => managerRef, log, clock);
  const manager = new McpManager({
    legacyCapabilities: RELAYED_CAPABILITIES,
    inputCapabilities: RELAYED_CAPABILITIES,
    legacyRoots: () => roots.current(),
    ...options.manager,
    clock,
  });
  managerRef = manager;
  const fleetLog = logFleetChanges(manager, log);
  const skips = new CatalogSkips(log);
  let relayRef: ListChangeRelay | undefined;
  const catalog = new FleetCatalog(
    manager,
    () => config.toolNames,
    (c) => skips.report(c),
    () => config.resourceUris,
    clock,
    (server) => {
      log.info({ server }, 'tool list came late: clients told the tools changed');
      relayRef?.changed();
    },
  );
  const subscriptions = new ResourceSubscriptions({
    manager,
    resolve: (uri) => catalog.resources.resolve(uri),
    toClient: (server, uri) => catalog.resources.toClient(server, uri),
    log,
  });
  const bridge = new InputBridge(clock);
  const newServer = () =>
    createGatewayServer({
      manager,
      catalog,
      subscriptions,
      bridge,
      roots,
      config: () => config,
      version: options.version ?? '0.0.0',
      log,
      clock,
    });
  try {
    // a server whose catalogue is slow does not hold up start (tool-lists.ts: it is listed when it comes)
    await manager.start({
      catalogueWaitMs: LIST_WAIT_MS,
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    });
    // start() waited for the catalogues already: one still missing is unlisted at once
    await Promise.all([catalog.listTools(false, 0), catalog.listPrompts()]);
  } catch (e) {
    fleetLog.dispose();
    subscriptions.close();
    await manager.close();
    throw e;
  }
  const relay = new ListChangeRelay(clock, manager, log);
  relayRef = relay;
  return {
    manager,
    catalog,
    config: () => config,
    setConfig(next) {
      config = next;
    },
    newServer,
    relay,
    skips,
    subscriptions,
    bridge,
    async close() {
      relay.close();
      subscriptions.close();
      bridge.close();
      roots.close();
      await manager.close();
      fleetLog.dispose();
    },
  };
}

/** After the drain, how long calls ended by the manager's close get to answer their clients (ms). */
const DRAIN_FLUSH_MS = 1000;

/** Starts the manager and the HTTP face; resolves once listening. */
export async function startGateway(options: GatewayOptions): Promise<GatewayHandle> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLog;
  const core = await startGatewayCore(options);
  let tokens = new TokenCheck(core.config().tokens);
  let limiter = new RateLimiter(clock, core.config().ratePerSecond, core.config().rateBurst);
  const sessions: LegacySessions = new LegacySessions(
    clock,
    core.newServer,
    () => ({
      maxSessions: core.config().maxSessions,
      perClient: core.config().sessionsPerClient,
      idleMs: core.config().sessionIdleMs,
    }),
    () => metrics.evicted(),
  );
  const modern: McpHttpHandler = createMcpHandler(() => core.newServer(), {
    legacy: 'reject',
    maxRequestBodySize: core.config().maxBodyBytes,
    onerror: (e) => log.debug({ err: e.message }, 'modern request refused'),
  });
  core.relay.attach({ legacy: () => sessions.servers(), modern: modern.notify });
  core.subscriptions.attachBroadcast((uri) => modern.notify.resourceUpdated(uri));
  const metrics = new GatewayMetrics(
    () => sessions.size,
    () => limiter.clients,
    () => core.skips.byKind(),
  );
  let accepting = true;
  let inFlight = 0;
  const handler = createHttpFront({
    clock,
    config: core.config,
    tokens: () => tokens,
    limiter: () => limiter,
    inFlight: new ClientInFlight(() => core.config().inFlightPerClient),
    listens: new ClientInFlight(() => core.config().listenPerClient),
    holdListen: (uris) => {
      const h = core.subscriptions.holdListen(uris);
      return () => core.subscriptions.release(h);
    },
    sessions,
    modern: toNodeHandler(modern),
    metrics,
    managerMetrics: () => core.manager.metricsText(),
    ready: () =>
      readyState(
        core.manager.snapshot(),
        core.config().minHealthyPerServer,
        core.manager.registry,
        core.catalog.lists.pending(),
      ),
    log,
    accepting: () => accepting,
    begin: () => {
      inFlight++;
      return () => inFlight--;
    },
  });
  const { http, sockets } = createGuardedServer(handler, core.config(), (address) => {
    metrics.refused('connections');
    log.warn({ address }, 'connection refused: too many open from this address');
  });
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 8080, host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await core.close();
    throw new ChaosError(
      'BIND_FAILED',
      `cannot listen on ${host}:${options.port ?? 8080}: ${(e as Error).message}`,
      { cause: e },
    );
  }
  // idle 2025 sessions are closed on a timer of the injected clock
  let expiry: ReturnType<Clock['setTimeout']> | undefined;
  const expireLater = () => {
    expiry = clock.setTimeout(
      () => {
        sessions.expire();
        expireLater();
      },
      Math.min(60_000, Math.max(1000, core.config().sessionIdleMs / 2)),
    );
    (expiry as { unref?: () => void }).unref?.();
  };
  expireLater();
  const port = (http.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}/mcp`,
    port,
    manager: core.manager,
    subscriptions: core.subscriptions,
    get inputWaiting() {
      return core.bridge.size;
    },
    async reload(next) {
      const result = await core.manager.reload(next.manager);
      const before = core.config();
      core.setConfig(next.gateway);
      tokens = new TokenCheck(next.gateway.tokens);
      if (before.ratePerSecond !== next.gateway.ratePerSecond || before.rateBurst !== next.gateway.rateBurst)
        limiter = new RateLimiter(clock, next.gateway.ratePerSecond, next.gateway.rateBurst);
      core.relay.changed();
      return result;
    },
    close() {
      closing ??= (async () => {
        // still listening while draining: a new request gets 503 (as documented), not a refused connection
        accepting = false;
        clock.clearTimeout(expiry);
        http.closeIdleConnections();
        const waitForRequests = async (ms: number) => {
          const deadline = clock.now() + ms;
          while (inFlight > 0 && clock.now() < deadline)
            await clock.sleep(Math.min(50, deadline - clock.now()));
        };
        await waitForRequests(core.config().drainMs);
        // calls still in flight end now (MANAGER_CLOSED): their clients get a JSON-RPC error, not a cut
        await core.close();
        await waitForRequests(DRAIN_FLUSH_MS);
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        await sessions.closeAll();
        await modern.close();
        for (const s of sockets) s.destroy();
        await closed;
      })();
      return closing;
    },
  };
}
