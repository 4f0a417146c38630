/**
 * A small builder of synthetic histories for unit tests (invariants, checks, stats, runner, explore).
 * Events may be added in any order; `build()` sorts them stably by time, so events at the same instant
 * keep the order they were added in.
 *
 *   const h = new HistoryBuilder({ servers: { weather: 3 } });
 *   h.call({ t: 10, endpoint: 'weather[0]', latencyMs: 5 });
 *   h.breakerTo(20, 'weather[0]', 'open');
 *   h.fault({ name: 'blackhole', endpoints: ['weather[0]'], startT: 15, endT: 500 });
 *   const history = h.build();
 */
import type {
  FaultEvent,
  History,
  HistoryEvent,
  PhaseEvent,
  PlannedFault,
} from '../../../../src/chaos/history.js';
import type {
  BreakerState,
  DeepPartial,
  HealthState,
  ManagerEvent,
  Outcome,
  ResilienceSettings,
} from '../../../../src/manager/types.js';

/** The manager's documented defaults, copied so tests do not depend on manager code. */
export function defaultSettings(): ResilienceSettings {
  return {
    callTimeoutMs: 1000,
    retryAfter: 'honour',
    maxResponseBytes: 8 * 1024 * 1024,
    protocol: 'auto',
    connectTimeoutMs: 30_000,
    breaker: {
      mode: 'normal',
      trip: { policy: 'consecutive', failures: 5 },
      openForMs: 2000,
      halfOpenTrials: 1,
      countedFailures: ['connection', 'timeout', 'session-lost', 'server-5xx'],
    },
    health: {
      probe: 'ping',
      intervalMs: 500,
      timeoutMs: 250,
      jitterMs: 50,
      unhealthyAfter: 2,
      healthyAfter: 2,
    },
    ejection: { consecutiveFailures: 5, baseTimeMs: 2000, maxTimeMs: 30_000, maxPercent: 50 },
    balancer: 'least-in-flight',
    retry: {
      attempts: 3,
      budget: { ratio: 0.2, minPerSecond: 3 },
      backoffMs: { baseMs: 10, maxMs: 200 },
      nonIdempotent: false,
    },
    pool: { maxInFlight: 64, queue: 256, acquireTimeoutMs: 500, maxSockets: 16 },
    fleet: { slowStartMs: 0, drainMs: 5000, admitTimeoutMs: 10_000 },
  };
}

function merge<T>(base: T, patch: DeepPartial<T> | undefined): T {
  if (!patch) return base;
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    const cur = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)
        ? merge(cur, v as DeepPartial<typeof cur>)
        : v;
  }
  return out as T;
}

export interface BuilderOptions {
  /** server name → replica count; endpoints are `<server>[i]` (default `{ s: 2 }`). */
  servers?: Record<string, number>;
  /** Deep-merged over the defaults for every server. */
  settings?: DeepPartial<ResilienceSettings>;
  /** Load duration (default 10 000 ms). */
  durationMs?: number;
  /** History origin (default 0: payload times are relative too). */
  origin?: number;
}

export interface AttemptSpec {
  endpoint?: string;
  /** Start, ms after the call's start (default: when the previous attempt ended). */
  atMs?: number;
  latencyMs?: number;
  outcome?: Outcome;
  kind?: 'first' | 'retry' | 'hedge' | 'replay';
  trial?: boolean;
  /** Emit the attempt-end (default true). */
  end?: boolean;
}

export interface CallSpec {
  t: number;
  server?: string;
  /** Endpoint of the single default attempt (default `<server>[0]`). */
  endpoint?: string;
  callId?: number;
  /** Latency of the default attempt (default 5). */
  latencyMs?: number;
  /** Final outcome (default: the last attempt's outcome, else success). */
  outcome?: Outcome;
  timeoutMs?: number;
  idempotent?: boolean;
  trial?: boolean;
  attempts?: AttemptSpec[];
  /** Emit call-end (default true); a number overrides the call-end time. */
  end?: boolean | number;
}

export class HistoryBuilder {
  private readonly events: Array<{ e: HistoryEvent; seq: number }> = [];
  private readonly faults: PlannedFault[] = [];
  private readonly settingsBy: Record<string, ResilienceSettings> = {};
  private readonly endpointsBy: Record<string, string> = {};
  private readonly breakerState = new Map<string, BreakerState>();
  private readonly healthState = new Map<string, HealthState>();
  private seq = 0;
  private nextCallId = 1;
  readonly durationMs: number;
  readonly origin: number;

  constructor(opts: BuilderOptions = {}) {
    this.durationMs = opts.durationMs ?? 10_000;
    this.origin = opts.origin ?? 0;
    for (const [server, n] of Object.entries(opts.servers ?? { s: 2 })) {
      this.settingsBy[server] = merge(defaultSettings(), opts.settings);
      for (let i = 0; i < n; i++) this.endpointsBy[`${server}[${i}]`] = server;
    }
  }

  get serverNames(): string[] {
    return Object.keys(this.settingsBy);
  }

  /** Deep-merges a patch into one server's settings. */
  settings(server: string, patch: DeepPartial<ResilienceSettings>): this {
    this.settingsBy[server] = merge(this.settingsBy[server] ?? defaultSettings(), patch);
    return this;
  }

  /** Adds any event as is. */
  event(e: HistoryEvent): this {
    this.events.push({ e, seq: this.seq++ });
    return this;
  }

  /** A call with its attempts; returns the callId. */
  call(spec: CallSpec): number {
    const server = spec.server ?? this.serverNames[0] ?? 's';
    const callId = spec.callId ?? this.nextCallId++;
    this.nextCallId = Math.max(this.nextCallId, callId + 1);
    const timeoutMs = spec.timeoutMs ?? this.settingsBy[server]?.callTimeoutMs ?? 1000;
    this.event({
      type: 'call-start',
      t: spec.t,
      callId,
      server,
      tool: 'echo',
      idempotent: spec.idempotent ?? true,
      deadline: Math.max(0, this.origin) + spec.t + timeoutMs,
    });
    const rejected = spec.outcome !== undefined && isRejection(spec.outcome);
    const attempts: AttemptSpec[] =
      spec.attempts ??
      (rejected
        ? []
        : [{ endpoint: spec.endpoint, latencyMs: spec.latencyMs, outcome: spec.outcome, trial: spec.trial }]);
    let cursor = spec.t;
    let lastOutcome: Outcome = spec.outcome ?? 'success';
    let lastEndpoint: string | undefined;
    attempts.forEach((a, i) => {
      const endpoint = a.endpoint ?? spec.endpoint ?? `${server}[0]`;
      const start = a.atMs === undefined ? cursor : spec.t + a.atMs;
      const latency = a.latencyMs ?? spec.latencyMs ?? 5;
      const outcome = a.outcome ?? (i === attempts.length - 1 ? (spec.outcome ?? 'success') : 'timeout');
      this.event({
        type: 'attempt-start',
        t: start,
        callId,
        attempt: i + 1,
        endpoint,
        trial: a.trial ?? false,
        kind: a.kind ?? (i === 0 ? 'first' : 'retry'),
      });
      if (a.end !== false) {
        this.event({
          type: 'attempt-end',
          t: start + latency,
          callId,
          attempt: i + 1,
          endpoint,
          outcome,
          latencyMs: latency,
        });
      }
      cursor = Math.max(cursor, start + latency);
      lastOutcome = outcome;
      lastEndpoint = endpoint;
    });
    if (attempts.length === 0) cursor = spec.t + (spec.latencyMs ?? 0);
    if (spec.end !== false) {
      const endT = typeof spec.end === 'number' ? spec.end : cursor;
      this.event({
        type: 'call-end',
        t: endT,
        callId,
        server,
        outcome: spec.outcome ?? lastOutcome,
        latencyMs: endT - spec.t,
        attempts: attempts.length,
        ...(lastEndpoint ? { endpoint: lastEndpoint } : {}),
      });
    }
    return callId;
  }

  /** `count` successful calls every `everyMs` from `fromT` (exclusive of toT), round-robin over endpoints. */
  steady(o: {
    server?: string;
    fromT: number;
    toT: number;
    everyMs: number;
    endpoints?: string[];
    latencyMs?: number;
    outcome?: (t: number, endpoint: string) => Outcome;
  }): this {
    const server = o.server ?? this.serverNames[0] ?? 's';
    const eps = o.endpoints ?? this.endpointsOf(server);
    let k = 0;
    for (let t = o.fromT; t < o.toT; t += o.everyMs) {
      const endpoint = eps[k++ % eps.length]!;
      this.call({ t, server, endpoint, latencyMs: o.latencyMs ?? 5, outcome: o.outcome?.(t, endpoint) });
    }
    return this;
  }

  endpointsOf(server: string): string[] {
    return Object.keys(this.endpointsBy).filter((ep) => this.endpointsBy[ep] === server);
  }

  breaker(t: number, endpoint: string, from: BreakerState, to: BreakerState, reason = 'test'): this {
    this.breakerState.set(endpoint, to);
    return this.event({ type: 'breaker', t, endpoint, from, to, reason });
  }

  /** A breaker transition from the state the builder last recorded (initially closed). */
  breakerTo(t: number, endpoint: string, to: BreakerState): this {
    return this.breaker(t, endpoint, this.breakerState.get(endpoint) ?? 'closed', to);
  }

  health(t: number, endpoint: string, from: HealthState, to: HealthState, reason = 'test'): this {
    this.healthState.set(endpoint, to);
    return this.event({ type: 'health', t, endpoint, from, to, reason });
  }

  /** A health transition from the state the builder last recorded (initially unknown). */
  healthTo(t: number, endpoint: string, to: HealthState): this {
    return this.health(t, endpoint, this.healthState.get(endpoint) ?? 'unknown', to);
  }

  ejection(t: number, endpoint: string, ejected: boolean, untilT?: number): this {
    return this.event({
      type: 'ejection',
      t,
      endpoint,
      ejected,
      ...(untilT === undefined ? {} : { untilT }),
      reason: 'test',
    });
  }

  /** A planned fault plus its inject/rollback events (unless `events: false`). */
  fault(f: {
    name: string;
    endpoints: string[];
    startT: number;
    endT?: number;
    kind?: FaultEvent['kind'];
    detail?: string;
    events?: boolean;
  }): this {
    const kind = f.kind ?? 'toxic';
    const detail = f.detail ?? (kind === 'down' ? 'down' : kind === 'process' ? 'kill' : 'timeout');
    this.faults.push({
      name: f.name,
      endpoints: f.endpoints,
      startT: f.startT,
      endT: f.endT as number,
      kind,
      detail,
    });
    if (f.events !== false) {
      for (const endpoint of f.endpoints) {
        this.event({ type: 'fault', t: f.startT, fault: f.name, endpoint, action: 'inject', kind, detail });
        if (f.endT !== undefined)
          this.event({ type: 'fault', t: f.endT, fault: f.name, endpoint, action: 'rollback', kind, detail });
      }
    }
    return this;
  }

  phase(t: number, phase: PhaseEvent['phase']): this {
    return this.event({ type: 'phase', t, phase });
  }

  manager(e: ManagerEvent): this {
    return this.event(e);
  }

  build(): History {
    const sorted = [...this.events].sort((a, b) => a.e.t - b.e.t || a.seq - b.seq).map((x) => x.e);
    return {
      origin: this.origin,
      durationMs: this.durationMs,
      endpoints: { ...this.endpointsBy },
      settings: structuredClone(this.settingsBy),
      faults: this.faults.map((f) => ({ ...f })),
      events: sorted,
    };
  }
}

function isRejection(o: Outcome): boolean {
  return (
    o === 'circuit-open' ||
    o === 'pool-exhausted' ||
    o === 'no-endpoint' ||
    o === 'cancelled' ||
    o === 'budget-exhausted'
  );
}
