/**
 * Builds every server's parts from the options and wires their events into the manager's stream:
 * breaker, health and ejection transitions, probe successes (which un-eject early) and connection notices.
 */
import type { Clock } from '../../core/clock.js';
import type { Disposable, Emitter } from '../../core/events.js';
import type { Rng } from '../../core/rng.js';
import { BackPressure } from '../backpressure/index.js';
import { createBalancer } from '../balancers/index.js';
import { CircuitBreaker } from '../breaker/index.js';
import { Bulkhead } from '../bulkhead/index.js';
import { OutlierDetector } from '../ejection/index.js';
import { HealthChecker, HealthStateMachine } from '../health/index.js';
import { HedgePolicy } from '../hedge/index.js';
import type { ManagerMetrics } from '../metrics/index.js';
import { RetryBudget } from '../retry/index.js';
import { assertValidSettings, resolveSettings } from '../settings/index.js';
import type { EndpointSettings, ManagerEvent, ManagerOptions } from '../types.js';
import { EndpointEntry } from './endpoint-entry.js';
import { endpointSpecs } from './endpoint-spec.js';
import type { ConnectionFactory, ConnectionNotice } from './managed-connection.js';
import { ServerEntry } from './server-entry.js';

export interface BuildDeps {
  clock: Clock;
  rng: Rng;
  metrics: ManagerMetrics;
  clientName: string;
  /** ManagerOptions.inputCapabilities. */
  inputCapabilities?: Record<string, unknown>;
  createConnection: ConnectionFactory;
  events: Emitter<ManagerEvent>;
}

export interface BuiltServers {
  servers: ServerEntry[];
  /** Subscriptions and timers to drop on close. */
  disposables: Disposable[];
}

/**
 * What a connection notice changes on its endpoint: a crash loop holds the endpoint unhealthy (and shows in
 * its snapshot) until it ends; dropped server requests and notifications are counted.
 */
function noteOnEndpoint(entry: EndpointEntry, n: ConnectionNotice, t: number): void {
  if (n.kind === 'crash-loop' && n.crashLoop) {
    entry.crashLoop = { since: entry.crashLoop?.since ?? t, ...n.crashLoop };
    entry.healthMachine.hold(`crash loop: ${n.detail ?? `${n.crashLoop.exits} quick exits in a row`}`);
  } else if (n.kind === 'crash-loop-ended') {
    entry.crashLoop = undefined;
    // Probed endpoints earn their way back; one nobody probes returns to unknown.
    const reason = `crash loop ended: ${n.detail ?? 'the process stays up'}`;
    entry.healthMachine.release(reason, entry.healthChecker ? undefined : 'unknown');
  } else if (n.kind === 'inbound-dropped' && n.dropped) entry.metrics.inboundDropped(n.dropped);
}

/** Throws RangeError / ChaosError INVALID_CONFIG on bad options (before creating anything). */
export function buildServers(options: ManagerOptions, deps: BuildDeps): BuiltServers {
  const { clock, rng, metrics, events } = deps;
  if (!Array.isArray(options.servers) || options.servers.length === 0) {
    throw new RangeError('McpManager needs at least one server');
  }
  // Validate everything first, so a bad option never leaves half-built connections behind.
  const names = new Set<string>();
  const ids = new Set<string>();
  const plans = options.servers.map((server) => {
    if (typeof server.name !== 'string' || server.name === '') {
      throw new RangeError(`server name must be a non-empty string, got ${JSON.stringify(server.name)}`);
    }
    if (names.has(server.name)) throw new RangeError(`duplicate server name "${server.name}"`);
    names.add(server.name);
    const settings = resolveSettings(options.settings, server.settings);
    assertValidSettings(settings, `settings of server "${server.name}"`);
    const specs = endpointSpecs(server);
    const endpointSettings = new Map<string, EndpointSettings>();
    for (const s of specs) {
      if (ids.has(s.id)) throw new RangeError(`duplicate endpoint id "${s.id}"`);
      ids.add(s.id);
      // The endpoint's overrides, checked with the same rules as every other setting.
      const own = s.settings ? resolveSettings(options.settings, server.settings, s.settings) : settings;
      if (s.settings) assertValidSettings(own, `settings of endpoint "${s.id}"`);
      endpointSettings.set(s.id, {
        attemptTimeoutMs: own.attemptTimeoutMs,
        idleTimeoutMs: own.idleTimeoutMs,
        retryAfter: own.retryAfter,
        maxResponseBytes: own.maxResponseBytes,
        protocol: own.protocol,
      });
    }
    return { server, settings, specs, endpointSettings };
  });

  const disposables: Disposable[] = [];
  const servers = plans.map(({ server, settings, specs, endpointSettings }) => {
    const name = server.name;
    const outlier = new OutlierDetector(settings.ejection, { clock, endpoints: specs.map((s) => s.id) });
    disposables.push(outlier);
    const entries = specs.map((spec) => {
      const breaker = new CircuitBreaker(settings.breaker, { clock, endpoint: spec.id });
      disposables.push(breaker);
      const bulkhead = new Bulkhead(settings.pool, { clock, name: spec.id });
      disposables.push({ dispose: () => bulkhead.close() });
      const own = endpointSettings.get(spec.id) as EndpointSettings;
      const connection = deps.createConnection(spec, {
        clock,
        maxSockets: settings.pool.maxSockets,
        clientName: deps.clientName,
        ...(deps.inputCapabilities !== undefined ? { inputCapabilities: deps.inputCapabilities } : {}),
        onNotice: (n) => onNotice(spec.id, n),
        ...(own.idleTimeoutMs !== undefined ? { idleTimeoutMs: own.idleTimeoutMs } : {}),
        maxResponseBytes: own.maxResponseBytes,
        protocol: own.protocol,
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
            });
      const backpressure = new BackPressure(clock);
      disposables.push({ dispose: () => backpressure.clear() });
      // Without probes the state machine only serves holds (a crash loop keeps the endpoint unhealthy).
      const machine = checker?.machine ?? new HealthStateMachine(health, { clock, endpoint: spec.id });
      const entry = new EndpointEntry(
        spec,
        own,
        breaker,
        bulkhead,
        connection,
        metrics.endpoint(name, spec.id),
        checker,
        machine,
        backpressure,
      );
      disposables.push(
        breaker.onStateChange((tr) => {
          entry.metrics.breakerTransition(tr.to);
          if (events.hasListeners) {
            events.emit({
              type: 'breaker',
              t: tr.t,
              endpoint: tr.endpoint,
              from: tr.from,
              to: tr.to,
              reason: tr.reason,
            });
          }
        }),
      );
      disposables.push(
        machine.onTransition((tr) => {
          entry.health = tr.to;
          entry.metrics.healthTransition(tr.to);
          if (events.hasListeners) {
            events.emit({
              type: 'health',
              t: tr.t,
              endpoint: tr.endpoint,
              from: tr.from,
              to: tr.to,
              reason: tr.reason,
            });
          }
        }),
      );
      if (checker) {
        disposables.push(
          checker.onProbe((r) => {
            if (r.ok) outlier.noteHealthy(spec.id);
          }),
        );
      } else disposables.push(machine);
      return entry;
    });
    const byId = new Map(entries.map((e) => [e.id, e]));
    disposables.push(
      outlier.onEjection((ev) => {
        const entry = byId.get(ev.endpoint);
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
      }),
    );
    const balancer = createBalancer(settings.balancer, { rng: rng.fork(`balancer:${name}`) });
    const retryBudget = new RetryBudget(settings.retry.budget, { clock });
    const hedge = settings.hedge ? new HedgePolicy(settings.hedge) : undefined;
    return new ServerEntry(
      name,
      server.tags ?? [],
      settings,
      entries,
      balancer,
      outlier,
      retryBudget,
      hedge,
      metrics.server(name),
    );
  });

  const byEndpoint = new Map<string, ServerEntry>();
  const entryById = new Map<string, EndpointEntry>();
  for (const s of servers) {
    for (const e of s.endpoints) {
      byEndpoint.set(e.id, s);
      entryById.set(e.id, e);
    }
  }

  function onNotice(endpoint: string, n: ConnectionNotice): void {
    if (n.kind === 'tools-changed' || n.kind === 'session-recovered' || n.kind === 'process-restart') {
      // The catalogue is (or may be) stale — the list changed, or a new session / process may serve
      // another one: drop it and any listing in flight (it may predate the change); the next
      // listTools() fetches it again.
      const server = byEndpoint.get(endpoint);
      if (server) {
        server.tools = undefined;
        server.toolsPending = undefined;
        server.toolsVersion++;
      }
    }
    const entry = entryById.get(endpoint);
    if (entry) noteOnEndpoint(entry, n, clock.now());
    if (events.hasListeners) events.emit({ type: 'connection', t: clock.now(), endpoint, ...n });
  }

  return { servers, disposables };
}
