/**
 * McpManager: the resilient client-side MCP manager. It composes, per endpoint, a connection, a circuit
 * breaker, a bulkhead and an active health checker; per server, a balancer, passive outlier ejection, a
 * retry budget and an optional hedge policy; and runs every call through the call pipeline
 * (call/call-execution.ts). Everything it does is visible as typed {@link ManagerEvent}s, Prometheus metrics
 * and {@link ManagerSnapshot}s.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type Clock, systemClock } from '../core/clock.js';
import { ChaosError, errorMessage } from '../core/errors.js';
import { type Disposable, disposeAll, Emitter } from '../core/events.js';
import { type Rng, randomSeed, SeededRng } from '../core/rng.js';
import {
  ActiveCalls,
  CallExecution,
  DeadlineTimer,
  type PipelineCall,
  type PipelineEnv,
} from './call/index.js';
import { loadManagerConfig } from './config/index.js';
import { type ConnectionDetails, checkLegacyCapabilities } from './connection/index.js';
import {
  type FleetHost,
  LiveFleet,
  type ReloadResult,
  type RemoveOptions,
  reloadFleet,
} from './fleet/index.js';
import { CallCounts, ManagerMetrics, type ManagerMetricsOptions } from './metrics/index.js';
import {
  type BuildDeps,
  buildServers,
  type ConnectionFactory,
  defaultClassifier,
  defaultConnectionFactory,
  type EndpointEntry,
  type ErrorClassifier,
  type Fleet,
  fetchTools,
  forwardRequest,
  ManagerRegistry,
  type ServerEntry,
  type ToolInfo,
  withToolHint,
} from './registry/index.js';
import { codeFormOptions, type ManagerInput } from './settings/index.js';
import { StallGuard } from './stall/index.js';
import type {
  CallOptions,
  EndpointConfig,
  FleetNotification,
  ManagerEvent,
  ManagerOptions,
  ManagerSnapshot,
  ProgressListener,
} from './types.js';

/** Seams for tests and embedding; every field optional. */
export interface McpManagerDeps {
  /** Creates each endpoint's connection (default: connection/createConnection). */
  createConnection?: ConnectionFactory;
  /** Maps connection errors to failure classes (default: connection/classifyError). */
  classifyError?: ErrorClassifier;
  /** Metric naming (prefix, default labels, buckets). */
  metrics?: ManagerMetricsOptions;
}

export interface StartOptions {
  /**
   * Bound on each endpoint's first connect during start(), ms (default: each endpoint's `connectTimeout`
   * setting, 30 s unless configured). The endpoints' own first-connect limit is their setting: give a longer
   * one there (or to the gateway's --connect-timeout, which sets it).
   */
  connectTimeoutMs?: number;
  /**
   * How long start() waits for the servers' tool catalogues after connecting, ms (default: until each is
   * fetched or fails, within its call timeout). Catalogues not in by then keep coming in the background.
   */
  catalogueWaitMs?: number;
}

/** start() waits this much past an endpoint's own first-connect limit, so that limit's message wins. */
const FIRST_CONNECT_MARGIN_MS = 1000;

export interface RequestOptions {
  /** Deadline of the request, ms (default the server's callTimeoutMs). */
  timeoutMs?: number;
  /** Caller's cancellation. */
  signal?: AbortSignal;
  /** Receives the server's progress notifications for it. */
  onProgress?: ProgressListener;
}

export interface ListToolsOptions {
  /** Deadline of the listing, ms (default the server's callTimeoutMs). */
  timeoutMs?: number;
  /** Bypass the cached catalogue. */
  refresh?: boolean;
}

const NO_OPTIONS: CallOptions = {};

/** ManagerOptions.stallGuard: on by default with the real clock, off with an injected one. */
function stallGuardOf(options: ManagerOptions, clock: Clock): StallGuard | undefined {
  const g = options.stallGuard ?? clock === systemClock;
  if (g === false) return undefined;
  return new StallGuard(clock, g === true ? {} : g);
}

export class McpManager {
  private currentRegistry: ManagerRegistry;
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly events = new Emitter<ManagerEvent>();
  private readonly notifications = new Emitter<FleetNotification>();
  private readonly counts = new CallCounts();
  private readonly metrics: ManagerMetrics;
  private readonly fleet: Fleet;
  private readonly servers: Map<string, ServerEntry>;
  /** Every endpoint now, draining ones included (replaced when the fleet changes). */
  private entries: EndpointEntry[] = [];
  private readonly env: PipelineEnv;
  /** Excuses timeouts this process's own stalls caused (ManagerOptions.stallGuard); undefined: off. */
  private readonly stall: StallGuard | undefined;
  private readonly live: LiveFleet;
  private readonly fleetHost: FleetHost;
  /** Reloads run one after the other. */
  private reloading: Promise<unknown> = Promise.resolve();
  private callSeq = 0;
  private startPromise: Promise<void> | undefined;
  private closePromise: Promise<void> | undefined;
  private closing = false;

  /** Servers, endpoints, tags and effective settings (rebuilt when the fleet changes). */
  get registry(): ManagerRegistry {
    return this.currentRegistry;
  }

  /**
   * Validates the options and builds every part (no I/O yet; see {@link start}).
   * @throws RangeError or ChaosError INVALID_CONFIG on bad options.
   */
  constructor(input: ManagerOptions | ManagerInput, deps: McpManagerDeps = {}) {
    // settings may be written as in a config file (settings/settings-form.ts)
    const options = codeFormOptions(input) as ManagerOptions;
    checkLegacyCapabilities(options.legacyCapabilities);
    this.clock = options.clock ?? systemClock;
    this.rng = options.rng ?? new SeededRng(randomSeed());
    this.metrics = new ManagerMetrics(() => this.entries.map((e) => e.snapshot()), deps.metrics);
    const createConnection = deps.createConnection ?? defaultConnectionFactory();
    const classify = deps.classifyError ?? defaultClassifier();
    this.stall = stallGuardOf(options, this.clock);
    const buildDeps: BuildDeps = {
      clock: this.clock,
      rng: this.rng,
      metrics: this.metrics,
      clientName: options.clientName ?? 'mcp-chaos-manager',
      ...(options.inputCapabilities !== undefined ? { inputCapabilities: options.inputCapabilities } : {}),
      ...(options.legacyCapabilities !== undefined ? { legacyCapabilities: options.legacyCapabilities } : {}),
      ...(options.legacyRoots !== undefined ? { legacyRoots: options.legacyRoots } : {}),
      createConnection,
      events: this.events,
      notifications: this.notifications,
      classify,
      ...(this.stall ? { stall: this.stall } : {}),
    };
    const built = buildServers(options, buildDeps);
    this.fleet = built.fleet;
    this.servers = built.fleet.servers;
    for (const s of built.servers) this.entries.push(...s.endpoints);
    this.currentRegistry = new ManagerRegistry(built.servers);
    this.fleetHost = {
      deps: buildDeps,
      fleet: this.fleet,
      closing: () => this.closing,
      changed: () => {
        this.entries = [...this.servers.values()].flatMap((s) => s.endpoints);
        this.currentRegistry = new ManagerRegistry([...this.servers.values()]);
      },
    };
    this.live = new LiveFleet(this.fleetHost);
    const active = new ActiveCalls<PipelineCall>();
    this.env = {
      clock: this.clock,
      rng: this.rng.fork('calls'),
      events: this.events,
      counts: this.counts,
      classify,
      active,
      deadlines: new DeadlineTimer(this.clock, active),
      ...(this.stall ? { stall: this.stall } : {}),
    };
  }

  /**
   * Connects every endpoint (in parallel) and starts the health checkers. An endpoint that cannot be
   * reached is not a start failure: it stays unknown until its probes mark it unhealthy, and calls
   * reconnect lazily. Resolves once every endpoint has attempted its first connect. Idempotent.
   */
  start(options: StartOptions = {}): Promise<void> {
    if (this.closing)
      return Promise.reject(new ChaosError('MANAGER_CLOSED', 'McpManager.start() after close()'));
    this.startPromise ??= this.doStart(options.connectTimeoutMs, options.catalogueWaitMs);
    return this.startPromise;
  }

  private async doStart(
    connectTimeoutMs: number | undefined,
    catalogueWaitMs: number | undefined,
  ): Promise<void> {
    if (connectTimeoutMs !== undefined && !(connectTimeoutMs > 0))
      throw new RangeError(`connectTimeoutMs must be > 0, got ${connectTimeoutMs}`);
    this.stall?.start();
    await Promise.all(this.entries.map((e) => this.firstConnect(e, connectTimeoutMs)));
    if (this.closing) return;
    for (const e of this.entries) void e.healthChecker?.start();
    // The catalogues, for the tools' idempotentHint (best effort: a server down at start has none yet).
    const catalogues = Promise.all(
      [...this.servers.keys()].map((s) => this.listTools(s).catch(() => undefined)),
    );
    if (catalogueWaitMs === undefined) {
      await catalogues;
      return;
    }
    const ac = new AbortController();
    await Promise.race([catalogues, this.clock.sleep(catalogueWaitMs, ac.signal).catch(() => undefined)]);
    ac.abort();
  }

  private async firstConnect(e: EndpointEntry, limitMs: number | undefined): Promise<void> {
    const timeoutMs = limitMs ?? e.connectTimeoutMs + FIRST_CONNECT_MARGIN_MS;
    const ac = new AbortController();
    const timer = this.clock.setTimeout(
      () => ac.abort(new ChaosError('CALL_TIMEOUT', `${e.id}: first connect took over ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      await e.connection.connect(ac.signal);
    } catch (err) {
      // Down at start: the health checker and the call pipeline deal with it; the snapshot says why.
      e.startError = errorMessage(err);
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  /**
   * Calls `tool` on `server` through the pipeline (see call/call-execution.ts for the exact rules).
   * Resolves with the tool's result — `isError: true` results included (the call's outcome is then
   * `tool-error`, or `success` with `toolErrorsAreSuccess`). Rejects with a ChaosError whose
   * `details.outcome` (and `details.failureClass` for failures) says why: CIRCUIT_OPEN, HALF_OPEN_LIMIT,
   * POOL_EXHAUSTED, NO_ENDPOINT, CALL_TIMEOUT, CALL_CANCELLED, CONNECTION_FAILED, SESSION_LOST,
   * SERVER_ERROR, PROTOCOL_ERROR, MANAGER_CLOSED; UNKNOWN_SERVER (no events) for an unknown server;
   * RangeError for a bad timeoutMs. Calls before start() are allowed (connections connect lazily).
   */
  callTool(
    server: string,
    tool: string,
    args?: Record<string, unknown>,
    options: CallOptions = NO_OPTIONS,
  ): Promise<CallToolResult> {
    if (this.closing) {
      return Promise.reject(
        new ChaosError('MANAGER_CLOSED', `${server}/${tool}: the manager is closed`, {
          details: { outcome: 'cancelled', server, tool },
        }),
      );
    }
    const group = this.servers.get(server);
    if (group === undefined) {
      return Promise.reject(
        new ChaosError(
          'UNKNOWN_SERVER',
          `unknown server "${server}" (known: ${[...this.servers.keys()].join(', ')})`,
          {
            details: { server, tool },
          },
        ),
      );
    }
    const t = options.timeoutMs;
    if (t !== undefined && !(t > 0 && Number.isFinite(t))) {
      return Promise.reject(new RangeError(`timeoutMs must be a finite number > 0, got ${t}`));
    }
    const opts = options.idempotent === undefined ? withToolHint(group, tool, options) : options;
    return new CallExecution(this.env, group, ++this.callSeq, tool, args, opts).run();
  }

  /**
   * The server's tool catalogue (tools/list, every page), cached until the server sends
   * `notifications/tools/list_changed` (when the connection reports it) or `refresh` is set. Asks
   * eligible endpoints first, then the rest, each within the remaining deadline. Not a tool call: no
   * call events, no breaker accounting.
   */
  async listTools(server: string, options: ListToolsOptions = {}): Promise<ToolInfo[]> {
    if (this.closing) throw new ChaosError('MANAGER_CLOSED', `${server}: the manager is closed`);
    const group = this.servers.get(server);
    if (group === undefined)
      throw new ChaosError('UNKNOWN_SERVER', `unknown server "${server}"`, { details: { server } });
    if (!options.refresh && group.tools !== undefined) return group.tools;
    if (!options.refresh && group.toolsPending !== undefined) return group.toolsPending;
    const version = group.toolsVersion;
    const pending = fetchTools(this.clock, group, options.timeoutMs ?? group.settings.callTimeoutMs);
    group.toolsPending = pending;
    try {
      const tools = await pending;
      if (group.toolsVersion === version && !this.closing) group.tools = tools;
      return tools;
    } finally {
      if (group.toolsPending === pending) group.toolsPending = undefined;
    }
  }

  /**
   * Sends any request other than a tool call — `resources/list`, `resources/read`, `prompts/get`,
   * `completion/complete`, `logging/setLevel`, … — to one of `server`'s endpoints and resolves with the
   * result as the server sent it. Eligible endpoints are asked first, then the rest, within one deadline;
   * a server's JSON-RPC error answer rejects at once (its `code` on the cause chain: see `rpcErrorOf`).
   * Not a tool call: no call events, no breaker accounting. See registry/forward-request.ts.
   */
  request(
    server: string,
    method: string,
    params?: Record<string, unknown>,
    options: RequestOptions = {},
  ): Promise<Record<string, unknown>> {
    if (this.closing)
      return Promise.reject(new ChaosError('MANAGER_CLOSED', `${server}: the manager is closed`));
    const group = this.servers.get(server);
    if (group === undefined)
      return Promise.reject(
        new ChaosError('UNKNOWN_SERVER', `unknown server "${server}"`, { details: { server } }),
      );
    const timeoutMs = options.timeoutMs ?? group.settings.callTimeoutMs;
    if (!(timeoutMs > 0 && Number.isFinite(timeoutMs)))
      return Promise.reject(new RangeError(`timeoutMs must be a finite number > 0, got ${timeoutMs}`));
    return forwardRequest(this.clock, group, method, params, { ...options, timeoutMs });
  }

  /**
   * Adds an endpoint to `server` while the manager runs. It takes calls only after its first good probe
   * (or connect, with probes off), ramping up over `fleet.slowStartMs`; resolves with its id then. Not
   * admitted within `fleet.admitTimeoutMs`: it is removed and the call rejects ENDPOINT_NOT_ADMITTED.
   * See fleet/live-fleet.ts.
   */
  addEndpoint(server: string, endpoint: EndpointConfig): Promise<string> {
    return this.live.add(server, endpoint);
  }

  /**
   * Drains an endpoint (no new calls; its calls in flight finish, for up to `drainMs`, default
   * `fleet.drainMs`), then removes it. Rejects UNKNOWN_ENDPOINT, FLEET_BUSY (a change of it is under way).
   */
  removeEndpoint(id: string, options: RemoveOptions = {}): Promise<void> {
    return this.live.remove(id, options);
  }

  /**
   * Adds `endpoint` to the server of `id` and, once it serves, drains and removes `id`; resolves with the
   * new id. A new endpoint never admitted leaves `id` as it was (ENDPOINT_NOT_ADMITTED).
   */
  replaceEndpoint(id: string, endpoint: EndpointConfig, options: RemoveOptions = {}): Promise<string> {
    return this.live.replace(id, endpoint, options);
  }

  /**
   * Brings the fleet to `options` (servers, endpoints, settings), touching only what changed; a config
   * with any problem is rejected whole (INVALID_CONFIG, every problem) before anything changes. Reloads
   * queue. `clientName` and `inputCapabilities` are not reloaded. See fleet/reload.ts.
   */
  reload(input: Omit<ManagerOptions | ManagerInput, 'clock' | 'rng'>): Promise<ReloadResult> {
    if (this.closing) return Promise.reject(new ChaosError('MANAGER_CLOSED', 'the manager is closed'));
    const options = codeFormOptions(input as ManagerInput) as ManagerOptions;
    const run = this.reloading.then(() => reloadFleet(this.fleetHost, this.live, options));
    this.reloading = run.catch(() => {});
    return run;
  }

  /** {@link reload} from a config file (YAML or JSON, as `loadManagerConfig` reads it). */
  reloadFromFile(file: string): Promise<ReloadResult> {
    try {
      return this.reload(loadManagerConfig(file));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Subscribes to every event: call-start, attempt-start/end, call-end, breaker, health, ejection,
   * retry-denied, connection. Listeners run synchronously; a throwing listener does not affect the call.
   */
  onEvent(listener: (event: ManagerEvent) => void): Disposable {
    return this.events.event(listener);
  }

  /**
   * A server's notifications that belong to no call — `notifications/resources/updated` of 2025 servers —
   * with the server and endpoint they came from (a gateway delivers them to subscribed clients).
   */
  onServerNotification(listener: (n: FleetNotification) => void): Disposable {
    return this.notifications.event(listener);
  }

  /** Point-in-time state of every endpoint and the call counters. */
  snapshot(): ManagerSnapshot {
    return { endpoints: this.entries.map((e) => e.snapshot()), calls: this.counts.toJSON() };
  }

  /**
   * Sends a notification to every endpoint's open 2025 session (e.g. `notifications/roots/list_changed`
   * when the roots behind `legacyRoots` changed); endpoints without one, or failing, are skipped.
   */
  async notifyServers(method: string, params?: Record<string, unknown>): Promise<void> {
    await Promise.all(
      this.entries.map((e) => e.connection.sendNotification?.(method, params).catch(() => {})),
    );
  }

  /**
   * What a server said of itself (capabilities, instructions, name and version) and the era spoken, from
   * the first of its endpoints with an open session; undefined when none has one. Throws RangeError for an
   * unknown server.
   */
  serverDetails(server: string): ConnectionDetails | undefined {
    const entry = this.servers.get(server);
    if (entry === undefined) throw new RangeError(`unknown server "${server}"`);
    for (const e of entry.endpoints) {
      const d = e.connection.details?.();
      if (d !== undefined) return d;
    }
    return undefined;
  }

  /**
   * The pid of a stdio endpoint's live child process (undefined for HTTP endpoints or while none runs),
   * e.g. for process faults. Throws RangeError for an unknown endpoint id.
   */
  pidOf(endpoint: string): number | undefined {
    const e = this.entries.find((x) => x.id === endpoint);
    if (e === undefined) throw new RangeError(`unknown endpoint "${endpoint}"`);
    return e.connection.pid;
  }

  /** Prometheus text exposition of this manager's own registry. */
  metricsText(): Promise<string> {
    return this.metrics.text();
  }

  /** Content-Type to serve {@link metricsText} with. */
  get metricsContentType(): string {
    return this.metrics.contentType;
  }

  /**
   * Ends calls in flight with MANAGER_CLOSED (their call-end is emitted), stops health checks and timers,
   * closes every connection (sockets, sessions, children). Idempotent; later calls reject MANAGER_CLOSED.
   */
  close(): Promise<void> {
    this.closePromise ??= this.doClose();
    return this.closePromise;
  }

  private async doClose(): Promise<void> {
    this.closing = true;
    for (const call of this.env.active.snapshot()) call.cancel('MANAGER_CLOSED', 'the manager closed');
    this.env.deadlines.close();
    this.stall?.close();
    await Promise.allSettled(this.entries.map((e) => e.healthChecker?.close()));
    for (const s of this.servers.values()) disposeAll(s.disposables.splice(0));
    for (const e of this.entries) e.dispose();
    await Promise.allSettled(this.entries.map((e) => e.connection.close()));
    this.events.clear();
  }
}
