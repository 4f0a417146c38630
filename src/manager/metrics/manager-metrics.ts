/**
 * Prometheus metrics of one manager, in its OWN prom-client Registry (never the global default, so two
 * managers in one process never collide). Counters and histograms are updated on the hot path through
 * label children cached per server/endpoint/outcome; state gauges (breaker, health, ejected, in-flight,
 * queued, EWMA latency) are computed at scrape time from a {@link EndpointGaugeSource}, costing nothing per call.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState, HealthState, Outcome } from '../types.js';

/** What the scrape-time gauges read for one endpoint. */
export interface EndpointGaugeView {
  id: string;
  server: string;
  breaker: BreakerState;
  health: HealthState;
  ejected: boolean;
  inFlight: number;
  queued: number;
  ewmaLatencyMs: number;
}

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
const DEFAULT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type CounterChild = ReturnType<Counter<string>['labels']>;
type HistogramChild = ReturnType<Histogram<string>['labels']>;

/** Hot-path handle for one server: cached children per (endpoint, outcome). */
export class ServerMetrics {
  private readonly callChildren = new Map<string, { count: CounterChild; latency: HistogramChild }>();
  private readonly retriesChild: CounterChild;
  private readonly deniedChild: CounterChild;
  private readonly hedgesChild: CounterChild;

  constructor(
    private readonly m: ManagerMetrics,
    readonly server: string,
  ) {
    this.retriesChild = m.retries.labels(server);
    this.deniedChild = m.retriesDenied.labels(server);
    this.hedgesChild = m.hedges.labels(server);
  }

  /** A call ended; `endpoint` is the endpoint that produced the final outcome ('' if none). */
  callEnded(endpoint: string, outcome: Outcome, latencyMs: number): void {
    const key = endpoint + '\u0000' + outcome;
    let c = this.callChildren.get(key);
    if (c === undefined) {
      c = {
        count: this.m.calls.labels(this.server, endpoint, outcome),
        latency: this.m.callLatency.labels(this.server, outcome),
      };
      this.callChildren.set(key, c);
    }
    c.count.inc();
    c.latency.observe(latencyMs / 1000);
  }

  retry(): void {
    this.retriesChild.inc();
  }
  retryDenied(): void {
    this.deniedChild.inc();
  }
  hedge(): void {
    this.hedgesChild.inc();
  }
}

/** Hot-path handle for one endpoint. */
export class EndpointMetrics {
  private readonly attemptChildren = new Map<Outcome, CounterChild>();
  private readonly latencyChild: HistogramChild;

  constructor(
    private readonly m: ManagerMetrics,
    readonly server: string,
    readonly endpoint: string,
  ) {
    this.latencyChild = m.attemptLatency.labels(server, endpoint);
  }

  attemptEnded(outcome: Outcome, latencyMs: number): void {
    let c = this.attemptChildren.get(outcome);
    if (c === undefined) {
      c = this.m.attempts.labels(this.server, this.endpoint, outcome);
      this.attemptChildren.set(outcome, c);
    }
    c.inc();
    this.latencyChild.observe(latencyMs / 1000);
  }
  breakerTransition(to: BreakerState): void {
    this.m.breakerTransitions.labels(this.server, this.endpoint, to).inc();
  }
  healthTransition(to: HealthState): void {
    this.m.healthTransitions.labels(this.server, this.endpoint, to).inc();
  }
  ejected(): void {
    this.m.ejections.labels(this.server, this.endpoint).inc();
  }
}

/** Every metric of one manager. */
export class ManagerMetrics {
  readonly registry = new Registry();
  readonly calls: Counter<string>;
  readonly callLatency: Histogram<string>;
  readonly attempts: Counter<string>;
  readonly attemptLatency: Histogram<string>;
  readonly retries: Counter<string>;
  readonly retriesDenied: Counter<string>;
  readonly hedges: Counter<string>;
  readonly breakerTransitions: Counter<string>;
  readonly healthTransitions: Counter<string>;
  readonly ejections: Counter<string>;
  private readonly servers = new Map<string, ServerMetrics>();
  private readonly endpoints = new Map<string, EndpointMetrics>();

  constructor(source: EndpointGaugeSource, options: ManagerMetricsOptions = {}) {
    const p = options.prefix ?? 'mcp_manager_';
    const registers = [this.registry];
    const buckets = options.latencyBucketsSeconds ?? DEFAULT_BUCKETS;
    if (options.defaultLabels) this.registry.setDefaultLabels(options.defaultLabels);
    const ep = ['server', 'endpoint'];
    this.calls = new Counter({
      name: `${p}calls_total`,
      help: 'Calls ended, by server, final endpoint ("" if none was reached) and outcome',
      labelNames: ['server', 'endpoint', 'outcome'],
      registers,
    });
    this.callLatency = new Histogram({
      name: `${p}call_duration_seconds`,
      help: 'Call latency from start to final outcome, all attempts included',
      labelNames: ['server', 'outcome'],
      buckets,
      registers,
    });
    this.attempts = new Counter({
      name: `${p}attempts_total`,
      help: 'Attempts sent to an endpoint, by outcome',
      labelNames: [...ep, 'outcome'],
      registers,
    });
    this.attemptLatency = new Histogram({
      name: `${p}attempt_duration_seconds`,
      help: 'Latency of single attempts',
      labelNames: ep,
      buckets,
      registers,
    });
    this.retries = new Counter({
      name: `${p}retries_total`,
      help: 'Retry attempts made',
      labelNames: ['server'],
      registers,
    });
    this.retriesDenied = new Counter({
      name: `${p}retries_denied_total`,
      help: 'Retries wanted but denied by the retry budget',
      labelNames: ['server'],
      registers,
    });
    this.hedges = new Counter({
      name: `${p}hedges_total`,
      help: 'Hedge attempts sent',
      labelNames: ['server'],
      registers,
    });
    this.breakerTransitions = new Counter({
      name: `${p}breaker_transitions_total`,
      help: 'Breaker state changes, by new state',
      labelNames: [...ep, 'to'],
      registers,
    });
    this.healthTransitions = new Counter({
      name: `${p}health_transitions_total`,
      help: 'Health state changes, by new state',
      labelNames: [...ep, 'to'],
      registers,
    });
    this.ejections = new Counter({
      name: `${p}ejections_total`,
      help: 'Outlier ejections',
      labelNames: ep,
      registers,
    });
    const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge<string>) => void) =>
      new Gauge({
        name: `${p}${name}`,
        help,
        labelNames,
        registers,
        collect() {
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
