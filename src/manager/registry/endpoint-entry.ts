import { type Disposable, disposeAll } from '../../core/events.js';
import type { BackPressure } from '../backpressure/index.js';
import { EwmaLatency } from '../balancers/index.js';
import type { CircuitBreaker } from '../breaker/index.js';
import type { Bulkhead } from '../bulkhead/index.js';
import type { CallTarget } from '../call/index.js';
import type { HealthChecker, HealthStateMachine } from '../health/index.js';
import type { EndpointMetrics } from '../metrics/index.js';
import type { EndpointSettings, EndpointSnapshot, HealthState, RetryAfterMode } from '../types.js';
import type { EndpointSpec } from './endpoint-spec.js';
import type { FleetGate } from './fleet-gate.js';
import type { ManagedConnection } from './managed-connection.js';

/** Everything the manager keeps for one endpoint; also the call pipeline's {@link CallTarget}. */
export class EndpointEntry implements CallTarget {
  readonly id: string;
  readonly server: string;
  readonly index: number;
  readonly weight: number;
  inFlight = 0;
  ewmaLatencyMs = 0;
  eligible = false;
  health: HealthState = 'unknown';
  ejected = false;
  /** Why its first connect at start() failed, until it connects. */
  startError: string | undefined;
  /** Set while the connection reports a crash loop (stdio). */
  crashLoop: { since: number; exits: number; restartAt: number } | undefined;
  private readonly ewma = new EwmaLatency();
  /** Subscriptions and timers of this endpoint's parts, dropped when it leaves (or the manager closes). */
  readonly disposables: Disposable[] = [];

  readonly attemptTimeoutMs: number | undefined;
  readonly retryAfter: RetryAfterMode;
  /** Bound on its first connect (EndpointSettings.connectTimeoutMs). */
  readonly connectTimeoutMs: number;

  constructor(
    readonly spec: EndpointSpec,
    settings: EndpointSettings,
    readonly breaker: CircuitBreaker,
    readonly bulkhead: Bulkhead,
    readonly connection: ManagedConnection,
    readonly metrics: EndpointMetrics,
    readonly healthChecker: HealthChecker | undefined,
    /** The health state (the checker's, or one only holds move when nothing probes). */
    readonly healthMachine: HealthStateMachine,
    readonly backpressure: BackPressure,
    /** Its place in a live fleet (joining, serving, draining, removed). */
    readonly fleet: FleetGate,
  ) {
    this.attemptTimeoutMs = settings.attemptTimeoutMs;
    this.retryAfter = settings.retryAfter;
    this.connectTimeoutMs = settings.connectTimeoutMs;
    this.id = spec.id;
    this.server = spec.server;
    this.index = spec.index;
    this.weight = spec.weight;
  }

  /** Drops the subscriptions and timers of its parts (not the connection or health checker). */
  dispose(): void {
    disposeAll(this.disposables.splice(0));
  }

  recordLatency(latencyMs: number): void {
    this.ewma.record(latencyMs);
    this.ewmaLatencyMs = this.ewma.value;
  }

  snapshot(): EndpointSnapshot {
    const s: EndpointSnapshot = {
      id: this.id,
      server: this.server,
      breaker: this.breaker.state,
      health: this.health,
      ejected: this.ejected,
      inFlight: this.inFlight,
      queued: this.bulkhead.queued,
      ewmaLatencyMs: this.ewmaLatencyMs,
    };
    const era = this.connection.details?.()?.era;
    if (era !== undefined) s.era = era;
    const until = this.backpressure.until;
    if (until !== undefined) s.backoffUntil = until;
    if (this.crashLoop !== undefined) s.crashLoop = { ...this.crashLoop };
    if (this.startError !== undefined) s.startError = this.startError;
    const fleet = this.fleet.state;
    if (fleet !== 'serving') s.fleet = fleet;
    else {
      const ramp = this.fleet.ramp;
      if (ramp < 1) s.ramp = ramp;
    }
    return s;
  }
}
