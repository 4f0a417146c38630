/**
 * What the call pipeline needs from the parts it composes, as small structural interfaces: the real
 * classes (CircuitBreaker, Bulkhead, EndpointConnection, OutlierDetector, RetryBudget, a Balancer, HedgePolicy)
 * satisfy them through the registry, and unit tests can pass small fakes.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Balancer, EndpointView } from '../balancers/index.js';
import type { EndpointMetrics, ServerMetrics } from '../metrics/index.js';
import type {
  BreakerState,
  FailureClass,
  HealthState,
  ProgressListener,
  ResilienceSettings,
  RetryAfterMode,
  ServerNotificationListener,
  ServerRequestHandler,
  ToolInput,
} from '../types.js';

/** A breaker permit: report exactly one result. */
export interface PermitLike {
  readonly ok: true;
  readonly trial: boolean;
  success(latencyMs: number): void;
  failure(failure: FailureClass, latencyMs: number): void;
  ignore(): void;
}

export interface RejectionLike {
  readonly ok: false;
  readonly code: 'CIRCUIT_OPEN' | 'HALF_OPEN_LIMIT';
  readonly state: BreakerState;
}

export interface BreakerLike {
  readonly state: BreakerState;
  /** Whether tryAcquire would admit now. */
  readonly admits: boolean;
  tryAcquire(): PermitLike | RejectionLike;
}

/** Frees one bulkhead slot (idempotent). */
export type ReleaseLike = () => void;

export interface BulkheadLike {
  /** Resolves with a release when a slot is free; rejects (POOL_EXHAUSTED) when full or on acquire timeout. */
  acquire(signal?: AbortSignal): Promise<ReleaseLike>;
  /** Synchronous fast path: a release if a slot is free right now and nobody queues, else undefined. */
  tryAcquire?(): ReleaseLike | undefined;
}

export interface ConnectionLike {
  callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    opts: {
      timeoutMs: number;
      signal?: AbortSignal;
      idempotent?: boolean;
      meta?: Record<string, unknown>;
      input?: ToolInput;
      onProgress?: ProgressListener;
      onServerRequest?: ServerRequestHandler;
      onNotification?: ServerNotificationListener;
    },
  ): Promise<CallToolResult>;
}

/**
 * One endpoint as the pipeline sees it. It is also the balancer's view (id, inFlight, ewmaLatencyMs,
 * weight, eligible): the pipeline marks `eligible` in place right before each synchronous pick.
 */
export interface CallTarget extends EndpointView {
  readonly index: number;
  readonly breaker: BreakerLike;
  readonly bulkhead: BulkheadLike;
  readonly connection: ConnectionLike;
  readonly metrics: EndpointMetrics;
  /** Current active-health state ('unknown' when probes are off or none finished yet). */
  health: HealthState;
  /** Ejected by passive outlier detection. */
  ejected: boolean;
  /** Feeds one attempt latency into the EWMA (and updates `ewmaLatencyMs`). */
  recordLatency(latencyMs: number): void;
  /** This endpoint's own attempt deadline (ms), when it has one. */
  readonly attemptTimeoutMs?: number | undefined;
  /** Whether a 429/503 Retry-After keeps new calls off this endpoint (default honour). */
  readonly retryAfter?: RetryAfterMode;
  /** The endpoint's back-pressure window (absent: Retry-After is never honoured). */
  readonly backpressure?: BackPressureLike;
  /** Its place in a live fleet (absent: always serving): joining and draining endpoints take no calls. */
  readonly fleet?: FleetGateLike;
}

/** See fleet/fleet-gate.ts. */
export interface FleetGateLike {
  readonly serving: boolean;
  /** Slow start: whether this pick may go to it. */
  takesPick(): boolean;
}

/** A honoured Retry-After keeps new calls off an endpoint while `active`. */
export interface BackPressureLike {
  readonly active: boolean;
  /** Keeps new calls off until `untilT` (extends a window in force, never shortens it). */
  hold(untilT: number): void;
}

/** The balancer (one per server); see balancers/balancer.ts. */
export type BalancerLike = Pick<Balancer, 'pick'>;

/** Passive outlier detection fed with live-traffic results. */
export interface OutlierLike {
  recordSuccess(endpoint: string): void;
  /** Only failure classes in `CallGroup.counted` are reported. */
  recordFailure(endpoint: string): void;
}

/** Held while a retry or hedge runs; release when it ends (idempotent). */
export interface TokenLike {
  release(): void;
}

export interface RetryBudgetLike {
  /** A call started (feeds the ratio). */
  noteRequest(): void;
  /** A token if a retry may start now (release it when the retry ends), else undefined. */
  tryAcquireRetry(): TokenLike | undefined;
}

export interface HedgeLike {
  /** Delay after which the first attempt is hedged, or undefined to not hedge now. */
  delayMs(): number | undefined;
  /** A token if a hedge may start now (at most maxInFlight per server), else undefined. */
  tryAcquire(): TokenLike | undefined;
  /** Feed successful attempt latencies (for the percentile). */
  recordLatency(latencyMs: number): void;
}

/** One logical server as the pipeline sees it. */
export interface CallGroup {
  readonly name: string;
  readonly settings: ResilienceSettings;
  readonly endpoints: readonly CallTarget[];
  readonly balancer: BalancerLike;
  readonly outlier: OutlierLike;
  readonly retryBudget: RetryBudgetLike;
  readonly hedge: HedgeLike | undefined;
  readonly metrics: ServerMetrics;
  /** Counted failure classes (breaker.countedFailures) as a set. */
  readonly counted: ReadonlySet<FailureClass>;
}
