/**
 * Builds every server's parts from the options (each endpoint through build-endpoint.ts) and wires the
 * server-level events into the manager's stream: ejections, and connection notices (which drop a stale
 * tool catalogue and mark crash loops). The {@link Fleet} it returns is the live index of servers and
 * endpoints that fleet/live-fleet.ts changes.
 */
import type { Disposable } from '../../core/events.js';
import { createBalancer } from '../balancers/index.js';
import { OutlierDetector } from '../ejection/index.js';
import { HedgePolicy } from '../hedge/index.js';
import { RetryBudget } from '../retry/index.js';
import { assertValidSettings, resolveSettings } from '../settings/index.js';
import type { ManagerEvent, ManagerOptions, ServerConfig } from '../types.js';
import { type BuildDeps, buildEndpoint, endpointSettingsOf, type ServerContext } from './build-endpoint.js';
import type { EndpointEntry } from './endpoint-entry.js';
import { type EndpointSpec, endpointSpecs } from './endpoint-spec.js';
import type { FleetState } from './fleet-gate.js';
import type { ConnectionNotice } from './managed-connection.js';
import { ServerEntry } from './server-entry.js';

export type { BuildDeps } from './build-endpoint.js';

/** The servers and endpoints now, by name and id (changed by a live fleet). */
export interface Fleet {
  readonly servers: Map<string, ServerEntry>;
  readonly endpoints: Map<string, EndpointEntry>;
  /** Each server's context for building more endpoints. */
  readonly contexts: Map<string, ServerContext>;
}

export interface BuiltServers {
  servers: ServerEntry[];
  fleet: Fleet;
}

/**
 * What a connection notice changes on its endpoint: a crash loop holds the endpoint unhealthy (and shows in
 * its snapshot) until it ends; dropped server requests and notifications are counted.
 */
function noteOnEndpoint(entry: EndpointEntry, n: ConnectionNotice, t: number): void {
  if (n.kind === 'connected') entry.startError = undefined;
  else if (n.kind === 'crash-loop' && n.crashLoop) {
    entry.crashLoop = { since: entry.crashLoop?.since ?? t, ...n.crashLoop };
    entry.healthMachine.hold(`crash loop: ${n.detail ?? `${n.crashLoop.exits} quick exits in a row`}`);
  } else if (n.kind === 'crash-loop-ended') {
    entry.crashLoop = undefined;
    // Probed endpoints earn their way back; one nobody probes returns to unknown.
    const reason = `crash loop ended: ${n.detail ?? 'the process stays up'}`;
    entry.healthMachine.release(reason, entry.healthChecker ? undefined : 'unknown');
  } else if (n.kind === 'inbound-dropped' && n.dropped) entry.metrics.inboundDropped(n.dropped);
}

/** A server's checked plan: resolved settings and normalised endpoints (nothing built yet). */
export interface ServerPlan {
  server: ServerConfig;
  settings: ServerEntry['settings'];
  specs: EndpointSpec[];
}

/** Checks one server against the names and ids taken; RangeError / INVALID_CONFIG naming the problem. */
export function planServer(
  options: Pick<ManagerOptions, 'settings'>,
  server: ServerConfig,
  names: ReadonlySet<string>,
  ids: Set<string>,
): ServerPlan {
  if (typeof server.name !== 'string' || server.name === '') {
    throw new RangeError(`server name must be a non-empty string, got ${JSON.stringify(server.name)}`);
  }
  if (names.has(server.name)) throw new RangeError(`duplicate server name "${server.name}"`);
  const settings = resolveSettings(options.settings, server.settings);
  assertValidSettings(settings, `settings of server "${server.name}"`);
  const specs = endpointSpecs(server);
  for (const s of specs) {
    if (ids.has(s.id)) throw new RangeError(`duplicate endpoint id "${s.id}"`);
    ids.add(s.id);
    // The endpoint's overrides, checked with the same rules as every other setting.
    if (s.settings) {
      const { resolved } = endpointSettingsOf(options.settings, server.settings, settings, s);
      assertValidSettings(resolved, `settings of endpoint "${s.id}"`);
    }
  }
  return { server, settings, specs };
}

/** The server-level parts built from a server's settings (a reload rebuilds them when those change). */
export interface ServerParts {
  outlier: OutlierDetector;
  balancer: ServerEntry['balancer'];
  retryBudget: RetryBudget;
  hedge: HedgePolicy | undefined;
  /** The outlier detector and its subscription. */
  disposables: Disposable[];
}

/** Builds a server's balancer, retry budget, hedge policy and outlier detection (over `endpoints`). */
export function serverParts(
  name: string,
  settings: ServerEntry['settings'],
  endpoints: readonly string[],
  deps: BuildDeps,
  fleet: Fleet,
): ServerParts {
  const { clock, rng, events } = deps;
  const outlier = new OutlierDetector(settings.ejection, { clock, endpoints });
  const sub = outlier.onEjection((ev) => {
    const entry = fleet.endpoints.get(ev.endpoint);
    if (entry) {
      entry.ejected = ev.ejected;
      if (ev.ejected) entry.metrics.ejected();
    }
    if (events.hasListeners) {
      const e: ManagerEvent = {
        type: 'ejection',
        t: ev.t,
        endpoint: ev.endpoint,
        ejected: ev.ejected,
        reason: ev.reason,
      };
      if (ev.untilT !== undefined) e.untilT = ev.untilT;
      events.emit(e);
    }
  });
  return {
    outlier,
    balancer: createBalancer(settings.balancer, { rng: rng.fork(`balancer:${name}`) }),
    retryBudget: new RetryBudget(settings.retry.budget, { clock }),
    hedge: settings.hedge ? new HedgePolicy(settings.hedge) : undefined,
    disposables: [outlier, sub],
  };
}

/** Builds a checked server into `fleet` (its endpoints in `fleetState`). */
export function buildServer(
  options: Pick<ManagerOptions, 'settings'>,
  plan: ServerPlan,
  deps: BuildDeps,
  fleet: Fleet,
  fleetState: FleetState = 'serving',
): ServerEntry {
  const { server, settings, specs } = plan;
  const name = server.name;
  const parts = serverParts(name, settings, [], deps, fleet);
  const context: ServerContext = {
    name,
    settings,
    outlier: parts.outlier,
    managerSettings: options.settings,
    serverSettings: server.settings,
    onNotice: (id, n) => onNotice(fleet, deps, id, n),
  };
  fleet.contexts.set(name, context);
  const entries = specs.map((spec) => {
    const { own } = endpointSettingsOf(options.settings, server.settings, settings, spec);
    return buildEndpoint(deps, context, spec, own, fleetState);
  });
  const entry = new ServerEntry(
    name,
    server.tags ?? [],
    settings,
    entries,
    parts.balancer,
    parts.outlier,
    parts.retryBudget,
    parts.hedge,
    deps.metrics.server(name),
  );
  entry.disposables.push(...parts.disposables);
  fleet.servers.set(name, entry);
  for (const e of entries) fleet.endpoints.set(e.id, e);
  return entry;
}

/** Throws RangeError / ChaosError INVALID_CONFIG on bad options (before creating anything). */
export function buildServers(options: ManagerOptions, deps: BuildDeps): BuiltServers {
  if (!Array.isArray(options.servers) || options.servers.length === 0) {
    throw new RangeError('McpManager needs at least one server');
  }
  // Validate everything first, so a bad option never leaves half-built connections behind.
  const names = new Set<string>();
  const ids = new Set<string>();
  const plans = options.servers.map((server) => {
    const plan = planServer(options, server, names, ids);
    names.add(server.name);
    return plan;
  });
  const fleet: Fleet = { servers: new Map(), endpoints: new Map(), contexts: new Map() };
  const servers = plans.map((plan) => buildServer(options, plan, deps, fleet));
  return { servers, fleet };
}

function onNotice(fleet: Fleet, deps: BuildDeps, endpoint: string, n: ConnectionNotice): void {
  const entry = fleet.endpoints.get(endpoint);
  if (n.kind === 'tools-changed' || n.kind === 'session-recovered' || n.kind === 'process-restart') {
    // The catalogue is (or may be) stale — the list changed, or a new session / process may serve
    // another one: drop it and any listing in flight (it may predate the change); the next
    // listTools() fetches it again.
    const server = entry === undefined ? undefined : fleet.servers.get(entry.server);
    if (server) server.toolsChanged();
  }
  const t = deps.clock.now();
  if (entry) noteOnEndpoint(entry, n, t);
  if (deps.events.hasListeners) deps.events.emit({ type: 'connection', t, endpoint, ...n });
}
