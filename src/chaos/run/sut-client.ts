/**
 * The load's client of a black-box system under test. The run drives a gateway with the same
 * McpManager-based harness it uses for the manager, configured as a plain client: one endpoint per
 * scenario server — the gateway — and none of its resilience (no retries, no breaker, no health checks,
 * no ejection, Retry-After not honoured): one attempt per call, so every outcome is the gateway's. Tool
 * names are mapped with `toolName`. Of the client's events only the calls go into the history (without
 * the client's endpoint id): everything else the run knows comes from the fleet's relays and logs. A
 * call the gateway failed with a JSON-RPC error naming its outcome (`data.outcome`) ends with that outcome.
 */
import type { DeepPartial, ManagerEvent, ResilienceSettings, ServerConfig } from '../../manager/index.js';
import type { HistoryEvent } from '../history.js';
import type { GatewaySut, Plan } from '../scenario/index.js';
import type { GatewayProcess } from './gateway-process.js';

/** A black-box client's call deadline unless a load stream sets `timeout` (ms). */
export const SUT_CALL_TIMEOUT_MS = 5000;
/** The endpoint id of the gateway in the client (never in the history). */
export const SUT_ENDPOINT_ID = 'sut';

export interface SutClient {
  servers(plan: Plan): ServerConfig[];
  settings: DeepPartial<ResilienceSettings>;
  toolName(server: string, tool: string): string;
  /** The history's view of a client event, or undefined to leave it out. */
  keep(e: ManagerEvent): HistoryEvent | undefined;
}

export function gatewayClient(sut: GatewaySut, gateway: GatewayProcess, plan: Plan): SutClient {
  const outstanding = plan.load.reduce((n, l) => n + (l.concurrency ?? 256), 0);
  /** The gateway's tool name → the scenario's, so the history speaks of the scenario's tools. */
  const original = new Map<string, string>();
  return {
    servers: (p) =>
      p.servers.map((s) => ({
        name: s.name,
        endpoints: [gateway.endpointConfig(`${SUT_ENDPOINT_ID}:${s.name}`)],
      })),
    settings: {
      callTimeoutMs: SUT_CALL_TIMEOUT_MS,
      breaker: { mode: 'disabled' },
      health: { probe: 'none' },
      ejection: { consecutiveFailures: 0 },
      retry: { attempts: 1 },
      retryAfter: 'ignore',
      protocol: sut.protocol,
      pool: { maxInFlight: Math.max(256, outstanding), queue: 0, maxSockets: 64 },
    },
    toolName(server, tool) {
      const name = sut.toolName.replaceAll('{server}', server).replaceAll('{tool}', tool);
      original.set(`${server}\u0000${name}`, tool);
      return name;
    },
    keep(e) {
      if (e.type === 'call-start')
        return { ...e, tool: original.get(`${e.server}\u0000${e.tool}`) ?? e.tool };
      if (e.type === 'call-end') {
        // a JSON-RPC error in which the gateway names its own outcome (this project's gateway does:
        // `timeout`, `circuit-open`, …) is recorded as that outcome: a gateway whose upstream timed out on
        // a starved machine failed by time, which the starvation review must be able to see
        const { endpoint: _endpoint, reported, ...rest } = e;
        return reported !== undefined && e.outcome === 'protocol' ? { ...rest, outcome: reported } : rest;
      }
      return undefined;
    },
  };
}
