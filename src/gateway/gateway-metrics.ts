/**
 * The gateway's own Prometheus metrics (served on /metrics after the manager's): requests by JSON-RPC
 * method (or path) and outcome, their duration, refusals by reason, live 2025 sessions and clients seen.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type RequestOutcome = 'ok' | 'error' | 'refused';

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'outcome'>;
  private readonly duration: Histogram<'method'>;
  private readonly refusals: Counter<'reason'>;
  private readonly evictions: Counter;

  constructor(
    sessions: () => number,
    clients: () => number,
    skipped: () => Array<{ kind: string; reason: string; count: number }> = () => [],
  ) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'mcp_gateway_requests_total',
      help: 'Requests served by the gateway, by JSON-RPC method (or HTTP path) and outcome',
      labelNames: ['method', 'outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: 'mcp_gateway_request_duration_seconds',
      help: 'Time to answer a request, by JSON-RPC method (or HTTP path)',
      labelNames: ['method'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.refusals = new Counter({
      name: 'mcp_gateway_refusals_total',
      help: 'Requests refused before reaching MCP, by reason (auth, host, origin, headers, rate, body, depth, sessions)',
      labelNames: ['reason'],
      registers,
    });
    this.evictions = new Counter({
      name: 'mcp_gateway_sessions_evicted_total',
      help: 'Idle 2025-era sessions closed to make room for a new one (least recently used first)',
      registers,
    });
    new Gauge({
      name: 'mcp_gateway_sessions',
      help: 'Live 2025-era client sessions',
      registers,
      collect() {
        this.set(sessions());
      },
    });
    new Gauge({
      name: 'mcp_gateway_catalog_skipped',
      help: 'Items left out of the catalogue since start (distinct), by kind and reason (collision, invalid-name, unlisted)',
      labelNames: ['kind', 'reason'],
      registers,
      collect() {
        for (const s of skipped()) this.set({ kind: s.kind, reason: s.reason }, s.count);
      },
    });
    new Gauge({
      name: 'mcp_gateway_clients',
      help: 'Clients seen by the rate limiter (buckets kept)',
      registers,
      collect() {
        this.set(clients());
      },
    });
  }

  request(method: string, outcome: RequestOutcome, seconds: number): void {
    this.requests.inc({ method, outcome });
    this.duration.observe({ method }, seconds);
  }

  evicted(): void {
    this.evictions.inc();
  }

  refused(reason: string): void {
    this.refusals.inc({ reason });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
