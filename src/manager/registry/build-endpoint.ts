/**
 * Builds one endpoint's parts — connection, breaker, bulkhead, health checker, back-pressure window — and
 * wires their transitions into the manager's event stream. Used for the fleet the options describe and
 * for every endpoint a live fleet adds later (fleet/live-fleet.ts); what it subscribes to is the entry's
 * own, dropped by `entry.dispose()`.
 */
import type { Clock } from '../../core/clock.js';
import type { Emitter } from '../../core/events.js';
import type { Rng } from '../../core/rng.js';
import { BackPressure } from '../backpressure/index.js';
import { CircuitBreaker } from '../breaker/index.js';
import { Bulkhead } from '../bulkhead/index.js';
import type { OutlierDetector } from '../ejection/index.js';
import { HealthChecker, HealthStateMachine } from '../health/index.js';
import type { ManagerMetrics } from '../metrics/index.js';
import { resolveSettings } from '../settings/index.js';
import type { StallCheck } from '../stall/index.js';
import type {
  DeepPartial,
  EndpointSettings,
  FailureClass,
  FleetNotification,
  ManagerEvent,
  ResilienceSettings,
  ServerMessage,
} from '../types.js';
import { EndpointEntry } from './endpoint-entry.js';
import type { EndpointSpec } from './endpoint-spec.js';
import { FleetGate, type FleetState } from './fleet-gate.js';
import type { ConnectionFactory, ConnectionNotice } from './managed-connection.js';

export interface BuildDeps {
  clock: Clock;
  rng: Rng;
  metrics: ManagerMetrics;
  clientName: string;
  /** ManagerOptions.inputCapabilities. */
  inputCapabilities?: Record<string, unknown>;
  /** ManagerOptions.legacyCapabilities. */
  legacyCapabilities?: Record<string, unknown>;
  /** ManagerOptions.legacyRoots. */
  legacyRoots?: () => Record<string, unknown>;
  createConnection: ConnectionFactory;
  events: Emitter<ManagerEvent>;
  /** Server notifications that belong to no call (McpManager.onServerNotification). */
  notifications?: Emitter<FleetNotification>;
  /** Excuses timeouts that this process's own stall caused (ManagerOptions.stallGuard). */
  stall?: StallCheck;
  /** Maps a connection error to its failure class (to tell a probe's timeout). */
  classify?: (e: unknown) => FailureClass;
}

/** What an endpoint shares with its server. */
export interface ServerContext {
  readonly name: string;
  /** The server's settings, outlier detection and the settings as given (a reload swaps them). */
  settings: ResilienceSettings;
  outlier: OutlierDetector;
  managerSettings: DeepPartial<ResilienceSettings> | undefined;
  serverSettings: DeepPartial<ResilienceSettings> | undefined;
  /** A connection notice of one of the server's endpoints (catalogue, crash loop, events). */
  readonly onNotice: (endpoint: string, n: ConnectionNotice) => void;
}

/** The settings an endpoint runs with: its server's, with its own overrides. */
export function endpointSettingsOf(
  manager: DeepPartial<ResilienceSettings> | undefined,
  server: DeepPartial<ResilienceSettings> | undefined,
  serverSettings: ResilienceSettings,
  spec: EndpointSpec,
): { own: EndpointSettings; resolved: ResilienceSettings } {
  const resolved = spec.settings ? resolveSettings(manager, server, spec.settings) : serverSettings;
  return {
    resolved,
    own: {
      attemptTimeoutMs: resolved.attemptTimeoutMs,
      idleTimeoutMs: resolved.idleTimeoutMs,
      retryAfter: resolved.retryAfter,
      maxResponseBytes: resolved.maxResponseBytes,
      protocol: resolved.protocol,
      connectTimeoutMs: resolved.connectTimeoutMs,
    },
  };
}

interface Transition {
  t: number;
  endpoint: string;
  from: string;
  to: string;
  reason: string;
}

export function buildEndpoint(
  deps: BuildDeps,
  server: ServerContext,
  spec: EndpointSpec,
  own: EndpointSettings,
  fleetState: FleetState = 'serving',
): EndpointEntry {
  const { clock, rng, metrics, events } = deps;
  const settings = server.settings;
  const breaker = new CircuitBreaker(settings.breaker, { clock, endpoint: spec.id });
  const bulkhead = new Bulkhead(settings.pool, { clock, name: spec.id });
  const connection = deps.createConnection(spec, {
    clock,
    maxSockets: settings.pool.maxSockets,
    clientName: deps.clientName,
    ...(deps.inputCapabilities !== undefined ? { inputCapabilities: deps.inputCapabilities } : {}),
    ...(deps.legacyCapabilities !== undefined ? { legacyCapabilities: deps.legacyCapabilities } : {}),
    ...(deps.legacyRoots !== undefined ? { legacyRoots: deps.legacyRoots } : {}),
    onNotice: (n) => server.onNotice(spec.id, n),
    ...(deps.notifications
      ? {
          onServerNotification: (n: ServerMessage) =>
            deps.notifications?.emit({ ...n, server: server.name, endpoint: spec.id }),
        }
      : {}),
    ...(own.idleTimeoutMs !== undefined ? { idleTimeoutMs: own.idleTimeoutMs } : {}),
    maxResponseBytes: own.maxResponseBytes,
    protocol: own.protocol,
    firstConnectTimeoutMs: own.connectTimeoutMs,
  });
  const health = settings.health;
  const checker =
    health.probe === 'none'
      ? undefined
      : new HealthChecker(health, {
          clock,
          rng: rng.fork(`health:${spec.id}`),
          endpoint: spec.id,
          probe:
            health.probe === 'ping'
              ? (signal, timeoutMs) => connection.ping({ timeoutMs, signal })
              : (signal, timeoutMs) => connection.listTools({ timeoutMs, signal }).then(() => undefined),
          ...(deps.stall ? { stall: deps.stall } : {}),
          ...(deps.classify ? { isTimeout: (e: unknown) => deps.classify?.(e) === 'timeout' } : {}),
        });
  const backpressure = new BackPressure(clock);
  // Without probes the state machine only serves holds (a crash loop keeps the endpoint unhealthy).
  const machine = checker?.machine ?? new HealthStateMachine(health, { clock, endpoint: spec.id });
  const entry = new EndpointEntry(
    spec,
    own,
    breaker,
    bulkhead,
    connection,
    metrics.endpoint(server.name, spec.id),
    checker,
    machine,
    backpressure,
    new FleetGate(clock, fleetState),
  );
  entry.disposables.push(
    breaker,
    { dispose: () => bulkhead.close() },
    { dispose: () => backpressure.clear() },
  );
  /** Breaker and health transitions as events (same shape: endpoint, from, to, reason). */
  const transition = (type: 'breaker' | 'health', tr: Transition) => {
    if (events.hasListeners) events.emit({ type, ...tr } as ManagerEvent);
  };
  entry.disposables.push(
    breaker.onStateChange((tr) => {
      entry.metrics.breakerTransition(tr.to);
      transition('breaker', tr);
    }),
    machine.onTransition((tr) => {
      entry.health = tr.to;
      entry.metrics.healthTransition(tr.to);
      transition('health', tr);
    }),
  );
  if (checker) {
    entry.disposables.push(
      checker.onProbe((r) => {
        if (r.ok) server.outlier.noteHealthy(spec.id);
      }),
      checker.onExcused((x) => {
        entry.metrics.stallExcused('probe');
        if (events.hasListeners) events.emit({ type: 'stall', what: 'probe', ...x });
      }),
    );
  } else entry.disposables.push(machine);
  server.outlier.addEndpoint(spec.id);
  return entry;
}
