/**
 * The manager's public contract: configuration, call options and the events it emits.
 * The chaos runner builds these from a scenario's `manager:` section and records its history from
 * {@link ManagerEvent}s. All times are milliseconds from the injected clock (`clock.now()`).
 */

import type { Clock } from '../core/clock.js';
import type { Rng } from '../core/rng.js';
import type {
  BALANCER_KINDS,
  BREAKER_MODES,
  FAILURE_CLASSES,
  PROBE_KINDS,
  PROTOCOL_MODES,
  RETRY_AFTER_MODES,
} from './settings-kinds.js';
import type { StallGuardSettings } from './stall/index.js';

/** Failure classes (meanings in settings-kinds.ts). Which ones count against a breaker is configurable. */
export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** Why a call was refused without reaching any server. */
export type RejectionClass =
  | 'circuit-open' // every candidate endpoint's breaker is open (or half-open at its trial limit)
  | 'pool-exhausted' // bulkhead full and the queue full, or acquire timeout
  | 'no-endpoint' // every endpoint is unhealthy/ejected/open and none may be tried
  | 'cancelled' // the caller's signal aborted
  | 'budget-exhausted'; // a retry was wanted but the retry budget denied it (the call fails with the last error)

/** Final or per-attempt outcome. */
export type Outcome = 'success' | FailureClass | RejectionClass;

export type BreakerState = 'closed' | 'open' | 'half-open' | 'disabled' | 'forced-open';
export type HealthState = 'unknown' | 'healthy' | 'unhealthy';

// ----------------------------------------------------------------------------------------------------
// Settings (all durations in ms). Defaults live in manager/defaults.ts.

export interface ConsecutiveBreakerSettings {
  policy: 'consecutive';
  /** Consecutive counted failures that open the breaker (default 5). Trips when count ≥ failures. */
  failures: number;
}

export interface RateBreakerSettings {
  policy: 'rate';
  /** Sliding window: `{kind:'time', sizeMs}` or `{kind:'count', size}` (default time 10 s). */
  window: { kind: 'time'; sizeMs: number } | { kind: 'count'; size: number };
  /** Calls in the window before the rates are judged (default 20). */
  minCalls: number;
  /** Opens when failures ÷ calls ≥ this, in [0,1] (default 0.5). */
  failureRate: number;
  /** Optional slow-call policy: calls slower than overMs count as slow; opens when slow ÷ calls ≥ rate. */
  slowCall?: { overMs: number; rate: number };
}

export interface BreakerSettings {
  /** `disabled` admits everything and never opens; `forced-open` rejects everything. */
  mode?: (typeof BREAKER_MODES)[number];
  trip: ConsecutiveBreakerSettings | RateBreakerSettings;
  /** How long it stays open before half-open (default 2000 ms). */
  openForMs: number;
  /** Optional backoff: each reopening without a full recovery multiplies openFor by `multiplier` up to `maxMs`. */
  backoff?: { multiplier: number; maxMs: number };
  /** Concurrent trial calls admitted while half-open (default 1); the rest are rejected (HALF_OPEN_LIMIT). */
  halfOpenTrials: number;
  /** Failure classes that count as failures (default connection, timeout, session-lost, server-5xx). */
  countedFailures: FailureClass[];
}

export interface HealthSettings {
  /** Probe kind (default ping). `none` disables active checks. */
  probe: (typeof PROBE_KINDS)[number];
  /** Interval between probes (default 500 ms). */
  intervalMs: number;
  /** Probe timeout (default 250 ms). */
  timeoutMs: number;
  /** Uniform jitter added to each interval, 0..jitterMs (default 10% of interval). */
  jitterMs: number;
  /** Consecutive probe failures that mark an endpoint unhealthy (default 2). */
  unhealthyAfter: number;
  /** Consecutive probe successes that mark it healthy again (default 2; the first success from unknown marks healthy). */
  healthyAfter: number;
  /** Optional faster interval while unhealthy. */
  unhealthyIntervalMs?: number;
}

export interface EjectionSettings {
  /** Consecutive live-traffic failures that eject an endpoint (default 5; 0 disables ejection). */
  consecutiveFailures: number;
  /** Ejection lasts baseTime × times ejected, capped at maxTimeMs (default 2000 ms / 30000 ms). */
  baseTimeMs: number;
  maxTimeMs: number;
  /** At most this % of a server's endpoints ejected at once; one can always be ejected (default 50). */
  maxPercent: number;
}

export type BalancerKind = (typeof BALANCER_KINDS)[number];

export interface RetrySettings {
  /** Total attempts per call including the first (default 3). Only idempotent calls retry. */
  attempts: number;
  /** Budget: active retries ≤ max(minPerSecond, ratio × calls in the last second-ish window) (defaults 0.2, 3). */
  budget: { ratio: number; minPerSecond: number };
  /** Jittered exponential backoff between attempts: base and cap (defaults 10 ms, 200 ms). */
  backoffMs: { baseMs: number; maxMs: number };
  /**
   * Retry calls that may not be repeated as well (default false): at-least-once delivery, for servers that
   * deduplicate by the call's `_meta`. Off, such a call retries only when its request provably never left.
   */
  nonIdempotent: boolean;
}

export interface HedgeSettings {
  /** Send a hedge for an idempotent call when it has run longer than this latency percentile (e.g. 95). */
  percentile: number;
  /** Minimum delay before a hedge (default 10 ms). */
  minDelayMs: number;
  /** At most this many hedges in flight per server (default 2). */
  maxInFlight: number;
}

export interface PoolSettings {
  /** Max in-flight calls per endpoint (default 64). */
  maxInFlight: number;
  /** Max queued calls per endpoint (default 256); beyond it, POOL_EXHAUSTED at once. */
  queue: number;
  /** Max wait in the queue (default 500 ms). */
  acquireTimeoutMs: number;
  /** Max TCP connections per HTTP endpoint in the undici agent (default 16). */
  maxSockets: number;
}

/** A live fleet's endpoints joining and leaving (fleet/live-fleet.ts). */
export interface FleetSettings {
  /** A new endpoint's traffic share ramps up linearly over this long once it serves (default 0: none). */
  slowStartMs: number;
  /** Longest wait for a leaving endpoint's calls in flight before it is closed (default 5 s). */
  drainMs: number;
  /** Longest wait for a new endpoint's first good probe (or connect) before it is given up (default 10 s). */
  admitTimeoutMs: number;
}

export type RetryAfterMode = (typeof RETRY_AFTER_MODES)[number];
export type ProtocolMode = (typeof PROTOCOL_MODES)[number];

/** Settings an endpoint may override (EndpointConfig.settings). */
export interface EndpointSettings {
  /** Deadline of one attempt inside the call's (Envoy's per_try_timeout); undefined = the call's. */
  attemptTimeoutMs?: number;
  /** An attempt whose response stream brings no byte for this long fails as `stream-idle` (HTTP). */
  idleTimeoutMs?: number;
  /** `honour` (default): a 429/503 `Retry-After` keeps new calls off the endpoint until then. */
  retryAfter: RetryAfterMode;
  /** HTTP: an answer larger than this many bytes fails as `response-too-large` (default 8 MiB). */
  maxResponseBytes: number;
  /** The MCP era: `auto` (default: 2026-07-28 where the endpoint speaks it, else 2025), `modern`, `legacy`. */
  protocol: ProtocolMode;
  /**
   * Bound on the endpoint's first connect — a stdio child's spawn and the MCP handshake, an HTTP server's
   * handshake (default 30 000 ms: long enough for `npx -y` to download a server). Reconnects after that keep
   * the connection's short limit (5 s): a server that started once should come back quickly.
   */
  connectTimeoutMs: number;
}

/** Every resilience setting for one server. */
export interface ResilienceSettings extends EndpointSettings {
  /** Overall deadline of one call, all attempts included (default 1000 ms). */
  callTimeoutMs: number;
  breaker: BreakerSettings;
  health: HealthSettings;
  ejection: EjectionSettings;
  balancer: BalancerKind;
  retry: RetrySettings;
  hedge?: HedgeSettings;
  pool: PoolSettings;
  fleet: FleetSettings;
}

/** One replica. Exactly one of `url` or `command`. */
export interface EndpointConfig {
  /** Stable id, default `<server>[<index>]`. */
  id?: string;
  /** `http` (Streamable HTTP, default for url), `sse` (legacy SSE), `stdio` (default for command). */
  transport?: 'http' | 'sse' | 'stdio';
  url?: string;
  /** http/sse: headers sent with every request (e.g. `authorization`); never logged. */
  headers?: Record<string, string>;
  /** argv array, spawned without a shell. */
  command?: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** For the weighted balancer (default 1). */
  weight?: number;
  /** Restart a spawned stdio server when it dies (default true). */
  restart?: boolean;
  /** This endpoint's own attempt/idle timeouts and Retry-After mode, over its server's settings. */
  settings?: Partial<EndpointSettings>;
}

export interface ServerConfig {
  name: string;
  endpoints: EndpointConfig[];
  tags?: string[];
  /** Overrides of the manager-wide settings for this server (deep-merged). */
  settings?: DeepPartial<ResilienceSettings>;
}

export interface ManagerOptions {
  servers: ServerConfig[];
  /** Manager-wide settings (deep-merged over the defaults). */
  settings?: DeepPartial<ResilienceSettings>;
  clock?: Clock;
  rng?: Rng;
  /** Client name sent in `initialize` (default mcp-chaos-manager). */
  clientName?: string;
  /**
   * Client capabilities declared to 2026-07-28 servers on the caller's behalf, e.g. `{elicitation:
   * {form: {}}}`: a server asks for such input with an `input_required` result, which the manager hands to
   * the caller (CallOptions.input carries the answer back). Not declared to 2025 servers, which would send
   * server→client requests the manager cannot answer. Default none.
   */
  inputCapabilities?: Record<string, unknown>;
  /**
   * Capabilities declared to 2025 servers, for callers that answer their requests through
   * `CallOptions.onServerRequest` (e.g. `{sampling: {}, elicitation: {}}`; a gateway). Default none.
   */
  legacyCapabilities?: Record<string, unknown>;
  /**
   * Answers a 2025 server's `roots/list` when no call is in flight whose caller could be asked (with
   * `legacyCapabilities.roots`): e.g. a gateway's latest list from its clients. Default: no roots.
   */
  legacyRoots?: () => Record<string, unknown>;
  /**
   * Timeouts caused by this process's own stalls (a busy host, a long GC) are not held against endpoints:
   * a health probe that timed out during a stall runs again, a timed-out attempt is not a breaker or outlier
   * failure (stall/stall-guard.ts; `stall` events and `stall_excused_total` say when). `true` or settings
   * (`floorMs` 20, `share` 0.25, `maxExcuses` 3) turn it on, `false` off. Default: on with the real clock,
   * off with an injected one.
   */
  stallGuard?: boolean | Partial<StallGuardSettings>;
}

export interface CallOptions {
  /** Overall deadline for this call (default settings.callTimeoutMs). */
  timeoutMs?: number;
  /** May be retried on another endpoint and replayed after session loss (default false). */
  idempotent?: boolean;
  /** Caller's cancellation. */
  signal?: AbortSignal;
  /** Affinity key for the sticky balancer. */
  key?: string;
  /** Count `isError` results as success for breaker/ejection purposes (default: as settings say). */
  toolErrorsAreSuccess?: boolean;
  /**
   * Sent with every attempt as the request's `_meta` (the same object on retries and re-issues, so a
   * server can tell one logical call from another), and recorded in the `call-start` event.
   */
  meta?: Record<string, unknown>;
  /**
   * The answer to an `input_required` result of an earlier call (2026-07-28): sent as the request's
   * `inputResponses` / `requestState` on every attempt, whichever replica serves it. A 2025 endpoint
   * cannot take it (PROTOCOL_VERSION).
   */
  input?: ToolInput;
  /**
   * Receives the server's `notifications/progress` for this call (the request then carries a
   * `progressToken`), from whichever attempt is under way. Default none.
   */
  onProgress?: ProgressListener;
  /**
   * Answers a 2025 server's requests to its client (`sampling/createMessage`, `elicitation/create`) sent
   * while this call is in flight (the manager declares them only with `ManagerOptions.legacyCapabilities`).
   * See connection/server-request-relay.ts for which call gets them.
   */
  onServerRequest?: ServerRequestHandler;
  /** Receives a 2025 server's `notifications/message` (logging) sent while this call is in flight. */
  onNotification?: ServerNotificationListener;
}

/** A server's request or notification to its client, as sent. */
export interface ServerMessage {
  method: string;
  params?: Record<string, unknown>;
}

export type ServerRequestHandler = (
  request: ServerMessage,
  signal: AbortSignal,
) => Promise<Record<string, unknown>>;
export type ServerNotificationListener = (notification: ServerMessage) => void;

/**
 * A server's notification that belongs to no call (`notifications/resources/updated`), with the server
 * and endpoint it came from (McpManager.onServerNotification).
 */
export interface FleetNotification extends ServerMessage {
  server: string;
  endpoint: string;
}

/** A `notifications/progress` of a request: how far, of how much, and what is happening. */
export interface ProgressUpdate {
  progress: number;
  total?: number;
  message?: string;
}

export type ProgressListener = (update: ProgressUpdate) => void;

/**
 * The answer to a 2026-07-28 `input_required` result (`{resultType: 'input_required', inputRequests,
 * requestState}`, which a call returns as its result).
 */
export interface ToolInput {
  /** Responses to the result's `inputRequests`, by key. */
  inputResponses?: Record<string, unknown>;
  /** The result's opaque `requestState`, echoed byte for byte. */
  requestState?: string;
}

export type DeepPartial<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends readonly unknown[]
    ? T[K]
    : NonNullable<T[K]> extends object
      ? DeepPartial<NonNullable<T[K]>>
      : T[K];
};

// ----------------------------------------------------------------------------------------------------
// Events. `t` is clock.now() in ms. Endpoint ids are `<server>[<index>]` unless configured.

export type ManagerEvent =
  | {
      type: 'call-start';
      t: number;
      callId: number;
      server: string;
      tool: string;
      idempotent: boolean;
      /** Absolute deadline (t + timeout). */
      deadline: number;
      /** The caller's `_meta` for this call (CallOptions.meta), when given. */
      meta?: Record<string, unknown>;
    }
  | {
      type: 'attempt-start';
      t: number;
      callId: number;
      attempt: number; // 1-based
      endpoint: string;
      /** Admitted as a half-open trial. */
      trial: boolean;
      kind: 'first' | 'retry' | 'hedge' | 'replay';
      /** The attempt's own deadline (absolute), when `attemptTimeout` ends it before the call's. */
      attemptDeadline?: number;
    }
  | {
      type: 'attempt-end';
      t: number;
      callId: number;
      attempt: number;
      endpoint: string;
      outcome: Outcome;
      latencyMs: number;
      error?: string;
    }
  | {
      type: 'call-end';
      t: number;
      callId: number;
      server: string;
      outcome: Outcome;
      latencyMs: number;
      attempts: number;
      endpoint?: string;
      error?: string;
      /**
       * What the server said its failure was, when it answered with a JSON-RPC error naming an outcome
       * (a gateway's: `timeout`, `circuit-open`, …); `outcome` is then `protocol`.
       */
      reported?: Outcome;
    }
  | { type: 'breaker'; t: number; endpoint: string; from: BreakerState; to: BreakerState; reason: string }
  | { type: 'health'; t: number; endpoint: string; from: HealthState; to: HealthState; reason: string }
  | { type: 'ejection'; t: number; endpoint: string; ejected: boolean; untilT?: number; reason: string }
  | { type: 'retry-denied'; t: number; callId: number; server: string; reason: string }
  | {
      /**
       * A timeout not counted against the endpoint: it overlapped a stall of this process's own event loop
       * (stall/stall-guard.ts). `probe`: the health probe runs again; `attempt`: the breaker and outlier
       * detector ignore it (the call's outcome is still a timeout).
       */
      type: 'stall';
      t: number;
      endpoint: string;
      what: 'probe' | 'attempt';
      /** The local stall that excused it (ms). */
      stallMs: number;
      timeoutMs: number;
      callId?: number;
    }
  | {
      /** The endpoint asked us to wait (429/503 Retry-After, honoured): no new calls until `untilT`. */
      type: 'backpressure';
      t: number;
      endpoint: string;
      untilT: number;
      status: number;
    }
  | {
      // a live fleet's change (fleet/live-fleet.ts): added (joining), admitted (serving), draining, removed
      type: 'fleet';
      t: number;
      server: string;
      endpoint: string;
      action: 'added' | 'admitted' | 'draining' | 'removed';
      detail?: string;
    }
  | {
      type: 'connection';
      t: number;
      endpoint: string;
      kind:
        | 'connected'
        | 'disconnected'
        | 'session-lost'
        | 'session-recovered'
        | 'process-exit'
        | 'process-restart'
        // the tool list changed, or may have: the server sent notifications/tools/list_changed, or the
        // notification stream was reopened after an outage (the manager drops its tool catalogue)
        | 'tools-changed'
        // a stdio child keeps dying: restarts back off, the endpoint is unhealthy until it ends
        | 'crash-loop'
        | 'crash-loop-ended'
        // the server sent more requests / notifications than the client takes (see `dropped`)
        | 'inbound-dropped'
        // the MCP era spoken to the endpoint was found or changed (see `era`)
        | 'era';
      detail?: string;
      /** `inbound-dropped`: what was held back since the last such event. */
      dropped?: { requests: number; notifications: number; coalesced: number };
      /** `crash-loop`: quick exits in a row, and when the next restart is due (clock ms). */
      crashLoop?: { exits: number; restartAt: number };
      /** `era`: the era now spoken (modern = 2026-07-28, legacy = 2025-11-25). */
      era?: 'modern' | 'legacy';
    };

export type ManagerEventType = ManagerEvent['type'];

/** Point-in-time view of one endpoint. */
export interface EndpointSnapshot {
  id: string;
  server: string;
  breaker: BreakerState;
  health: HealthState;
  ejected: boolean;
  /** The MCP era its current session speaks (modern = 2026-07-28, legacy = 2025-11-25; absent while none is open). */
  era?: 'modern' | 'legacy';
  /** Kept off by a honoured Retry-After until this time (absent when not). */
  backoffUntil?: number;
  /** A stdio child crash-looping since `since`: quick exits in a row, next restart due (absent when not). */
  crashLoop?: { since: number; exits: number; restartAt: number };
  /** Why its first connect at start() failed (absent once it has connected). */
  startError?: string;
  /** In a live fleet: `joining` (not yet admitted), `draining` or `removed` (absent while serving). */
  fleet?: 'joining' | 'draining' | 'removed';
  /** Slow start: the share of picks it takes now, in (0, 1) (absent once ramped up). */
  ramp?: number;
  inFlight: number;
  queued: number;
  ewmaLatencyMs: number;
}

export interface ManagerSnapshot {
  endpoints: EndpointSnapshot[];
  calls: { started: number; succeeded: number; failed: number; retries: number; rejected: number };
}
