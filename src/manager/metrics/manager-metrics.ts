/**
 * Prometheus metrics of one manager, in its OWN prom-client Registry (never the global default, so two
 * managers in one process never collide). Counters and histograms are fast-metrics cells (a number
 * increment on the hot path), cached per server/endpoint/outcome; state gauges (breaker, health, ejected, in-flight,
 * queued, EWMA latency) are computed at scrape time from a {@link EndpointGaugeSource}, costing nothing per call.
 */
import { Gauge, Registry } from 'prom-client';
import type { BreakerState, EndpointSnapshot, HealthState, Outcome } from '../types.js';
import { type CounterCell, FastCounter, FastHistogram, type HistogramCell } from './fast-metrics.js';

/** What the scrape-time gauges read for one endpoint: its snapshot. */
export type EndpointGaugeView = EndpointSnapshot;

/** Lists every endpoint's current view (called at scrape time only). */
export type EndpointGaugeSource = () => Iterable<EndpointGaugeView>;

export interface ManagerMetricsOptions {
  /** Metric name prefix (default `mcp_manager_`). */
  prefix?: string;
  /** Histogram buckets in seconds (default 1 ms … 10 s). */
  latencyBucketsSeconds?: number[];
  /** Labels added to every metric (e.g. `{manager: 'a'}`). */
  defaultLabels?: Record<string, string>;
}

const BREAKER_STATES: readonly BreakerState[] = ['closed', 'open', 'half-open', 'disabled', 'forced-open'];
const HEALTH_STATES: readonly HealthState[] = ['unknown', 'healthy', 'unhealthy'];
const FLEET_STATES = ['joining', 'serving', 'draining'] as const;
const DEFAULT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Hot-path handle for one server: cached children per (endpoint, outcome). */
export class ServerMetrics {
  private readonly callCells = new Map<string, { count: CounterCell; latency: HistogramCell }>();
  private readonly retriesCell: CounterCell;
  private readonly deniedCell: CounterCell;
  private readonly hedgesCell: CounterCell;

  constructor(
    private readonly m: ManagerMetrics,
    readonly server: string,
  ) {
    this.retriesCell = m.retries.cell(server);
    this.deniedCell = m.retriesDenied.cell(server);
    this.hedgesCell = m.hedges.cell(server);
  }

  /** A call ended; `endpoint` is the endpoint that produced the final outcome ('' if none). */
  callEnded(endpoint: string, outcome: Outcome, latencyMs: number): void {
    const key = endpoint + '\u0000' + outcome;
    let c = this.callCells.get(key);
    if (c === undefined) {
      c = {
        count: this.m.calls.cell(this.server, endpoint, outcome),
        latency: this.m.callLatency.cell(this.server, outcome),
      };
      this.callCells.set(key, c);
    }
    c.count.n++;
    this.m.callLatency.observe(c.latency, latencyMs / 1000);
  }

  retry(): void {
    this.retriesCell.n++;
  }
  retryDenied(): void {
    this.deniedCell.n++;
  }
  hedge(): void {
    this.hedgesCell.n++;
  }
}

/** Hot-path handle for one endpoint. */
export class EndpointMetrics {
  private readonly attemptCells = new Map<Outcome, CounterCell>();
  private readonly latencyCell: HistogramCell;

  constructor(
    private readonly m: ManagerMetrics,
    readonly server: string,
    readonly endpoint: string,
  ) {
    this.latencyCell = m.attemptLatency.cell(server, endpoint);
  }

  attemptEnded(outcome: Outcome, latencyMs: number): void {
    let c = this.attemptCells.get(outcome);
    if (c === undefined) {
      c = this.m.attempts.cell(this.server, this.endpoint, outcome);
      this.attemptCells.set(outcome, c);
    }
    c.n++;
    this.m.attemptLatency.observe(this.latencyCell, latencyMs / 1000);
  }
  breakerTransition(to: BreakerState): void {
    this.m.breakerTransitions.cell(this.server, this.endpoint, to).n++;
  }
  healthTransition(to: HealthState): void {
    this.m.healthTransitions.cell(this.server, this.endpoint, to).n++;
  }
  ejected(): void {
    this.m.ejections.cell(this.server, this.endpoint).n++;
  }
  backpressure(): void {
    this.m.backpressure.cell(this.server, this.endpoint).n++;
  }
  /** A timeout (a health probe's, or an attempt's) excused as this process's own stall. */
  stallExcused(what: 'probe' | 'attempt'): void {
    this.m.stallExcused.cell(this.server, this.endpoint, what).n++;
  }
  /** Server requests / notifications the connection dropped, and list_changed it coalesced. */
  inboundDropped(d: { requests: number; notifications: number; coalesced: number }): void {
    for (const kind of ['requests', 'notifications', 'coalesced'] as const)
      if (d[kind] > 0) this.m.inboundDropped.cell(this.server, this.endpoint, kind).n += d[kind];
  }
}

/** Every metric of one manager. */
export class ManagerMetrics {
  readonly registry = new Registry();
  readonly calls: FastCounter;
  readonly callLatency: FastHistogram;
  readonly attempts: FastCounter;
  readonly attemptLatency: FastHistogram;
  readonly retries: FastCounter;
  readonly retriesDenied: FastCounter;
  readonly hedges: FastCounter;
  readonly breakerTransitions: FastCounter;
  readonly healthTransitions: FastCounter;
  readonly ejections: FastCounter;
  readonly backpressure: FastCounter;
  readonly stallExcused: FastCounter;
  readonly inboundDropped: FastCounter;
  readonly fleetChanges: FastCounter;
  private readonly servers = new Map<string, ServerMetrics>();
  private readonly endpoints = new Map<string, EndpointMetrics>();

  constructor(source: EndpointGaugeSource, options: ManagerMetricsOptions = {}) {
    const p = options.prefix ?? 'mcp_manager_';
    const registers = [this.registry];
    const buckets = options.latencyBucketsSeconds ?? DEFAULT_BUCKETS;
    if (options.defaultLabels) this.registry.setDefaultLabels(options.defaultLabels);
    const ep = ['server', 'endpoint'];
    this.calls = new FastCounter(
      `${p}calls_total`,
      'Calls ended, by server, final endpoint ("" if none was reached) and outcome',
      ['server', 'endpoint', 'outcome'],
    ).register(this.registry);
    this.callLatency = new FastHistogram(
      `${p}call_duration_seconds`,
      'Call latency from start to final outcome, all attempts included',
      ['server', 'outcome'],
      buckets,
    ).register(this.registry);
    this.attempts = new FastCounter(`${p}attempts_total`, 'Attempts sent to an endpoint, by outcome', [
      ...ep,
      'outcome',
    ]).register(this.registry);
    this.attemptLatency = new FastHistogram(
      `${p}attempt_duration_seconds`,
      'Latency of single attempts',
      ep,
      buckets,
    ).register(this.registry);
    this.retries = new FastCounter(`${p}retries_total`, 'Retry attempts made', ['server']).register(
      this.registry,
    );
    this.retriesDenied = new FastCounter(
      `${p}retries_denied_total`,
      'Retries wanted but denied by the retry budget',
      ['server'],
    ).register(this.registry);
    this.hedges = new FastCounter(`${p}hedges_total`, 'Hedge attempts sent', ['server']).register(
      this.registry,
    );
    this.breakerTransitions = new FastCounter(
      `${p}breaker_transitions_total`,
      'Breaker state changes, by new state',
      [...ep, 'to'],
    ).register(this.registry);
    this.healthTransitions = new FastCounter(
      `${p}health_transitions_total`,
      'Health state changes, by new state',
      [...ep, 'to'],
    ).register(this.registry);
    this.ejections = new FastCounter(`${p}ejections_total`, 'Outlier ejections', ep).register(this.registry);
    this.backpressure = new FastCounter(
      `${p}backpressure_total`,
      'Retry-After windows honoured (429/503 asked us to wait)',
      ep,
    ).register(this.registry);
    this.stallExcused = new FastCounter(
      `${p}stall_excused_total`,
      'Timeouts not counted against the endpoint: this process itself stalled (what: probe, attempt)',
      [...ep, 'what'],
    ).register(this.registry);
    this.inboundDropped = new FastCounter(
      `${p}inbound_dropped_total`,
      'Server requests and notifications the client dropped (kind requests, notifications) or coalesced',
      [...ep, 'kind'],
    ).register(this.registry);
    this.fleetChanges = new FastCounter(
      `${p}fleet_changes_total`,
      'Live fleet changes, by action (added, admitted, draining, removed)',
      ['server', 'action'],
    ).register(this.registry);
    const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge<string>) => void) =>
      new Gauge({
        name: `${p}${name}`,
        help,
        labelNames,
        registers,
        collect() {
          // only the endpoints there are now: one that left the fleet leaves no stale series
          this.reset();
          fill(this);
        },
      });
    gauge('breaker_state', 'Breaker state (1 for the current state)', [...ep, 'state'], (g) => {
      for (const e of source()) {
        for (const s of BREAKER_STATES)
          g.set({ server: e.server, endpoint: e.id, state: s }, e.breaker === s ? 1 : 0);
      }
    });
    gauge('health_state', 'Health state (1 for the current state)', [...ep, 'state'], (g) => {
      for (const e of source()) {
        for (const s of HEALTH_STATES)
          g.set({ server: e.server, endpoint: e.id, state: s }, e.health === s ? 1 : 0);
      }
    });
    gauge('ejected', 'Whether the endpoint is ejected (1) or not (0)', ep, (g) => {
      for (const e of source()) g.set({ server: e.server, endpoint: e.id }, e.ejected ? 1 : 0);
    });
    gauge('backed_off', 'Whether a honoured Retry-After keeps new calls off (1) or not (0)', ep, (g) => {
      for (const e of source())
        g.set({ server: e.server, endpoint: e.id }, e.backoffUntil === undefined ? 0 : 1);
    });
    gauge('crash_looping', 'Whether a stdio child is crash-looping (1) or not (0)', ep, (g) => {
      for (const e of source()) g.set({ server: e.server, endpoint: e.id }, e.crashLoop ? 1 : 0);
    });
    gauge('fleet_state', 'Place in a live fleet (1 for the current state)', [...ep, 'state'], (g) => {
      for (const e of source()) {
        const now = e.fleet ?? 'serving';
        for (const s of FLEET_STATES)
          g.set({ server: e.server, endpoint: e.id, state: s }, now === s ? 1 : 0);
      }
    });
    gauge('slow_start_share', 'Share of picks a slow-starting endpoint takes (1 once ramped up)', ep, (g) => {
      for (const e of source()) g.set({ server: e.server, endpoint: e.id }, e.ramp ?? 1);
    });
    gauge('in_flight', 'Attempts in flight', ep, (g) => {
      for (const e of source()) g.set({ server: e.server, endpoint: e.id }, e.inFlight);
    });
    gauge('queue_depth', 'Calls waiting for a bulkhead slot', ep, (g) => {
      for (const e of source()) g.set({ server: e.server, endpoint: e.id }, e.queued);
    });
    gauge('ewma_latency_seconds', 'EWMA of attempt latency', ep, (g) => {
      for (const e of source()) g.set({ server: e.server, endpoint: e.id }, e.ewmaLatencyMs / 1000);
    });
  }

  /** The cached hot-path handle for a server. */
  server(name: string): ServerMetrics {
    let s = this.servers.get(name);
    if (s === undefined) {
      s = new ServerMetrics(this, name);
      this.servers.set(name, s);
    }
    return s;
  }

  /** The cached hot-path handle for an endpoint. */
  endpoint(server: string, id: string): EndpointMetrics {
    let e = this.endpoints.get(id);
    if (e === undefined) {
      e = new EndpointMetrics(this, server, id);
      this.endpoints.set(id, e);
    }
    return e;
  }

  /** Prometheus text exposition format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** Content-Type for {@link text}. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
