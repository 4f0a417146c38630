/**
 * The manager under test, as a run drives it: built from the plan over the fleet's endpoints, its events
 * recorded into the history, warmed up, waited on until settled, called by the load generator (with the
 * client-side rejections recorded as calls too), reported on as progress, and closed.
 */
import { setMaxListeners } from 'node:events';
import type { Clock, TimerHandle } from '../../core/clock.js';
import { ChaosError } from '../../core/errors.js';
import type { Disposable } from '../../core/events.js';
import type { Rng } from '../../core/rng.js';
import {
  type CallOptions,
  type ManagerEvent,
  McpManager,
  type ResilienceSettings,
  type ServerConfig,
} from '../../manager/index.js';
import { CALL_META_KEY } from '../../mock/index.js';
import type { HistoryEvent } from '../history.js';
import type { Plan } from '../scenario/index.js';
import type { FleetControl } from './deploy-runner.js';
import type { LoadStream } from './load-generator.js';
import type { RollbackLog } from './rollback.js';
import type { RunFleet } from './run-fleet.js';
import type { RunLogEntry, RunOptions, RunProgress } from './run-options.js';
import type { SutClient } from './sut-client.js';

/** Warm-up: rounds of parallel calls per load stream, calls per replica per round, and their deadline. */
const WARMUP_ROUNDS = 2;
const WARMUP_CALLS_PER_REPLICA = 2;
const WARMUP_TIMEOUT_MS = 5000;
/** Longest wait after warm-up for every endpoint to look settled (healthy, closed, not ejected). */
const SETTLE_TIMEOUT_MS = 5000;
const SETTLE_POLL_MS = 25;
/** Call events of warm-up calls are not part of the history (state changes, if any, are). */
const WARMUP_DROPPED = new Set(['call-start', 'attempt-start', 'attempt-end', 'call-end', 'retry-denied']);

export interface ManagerHarnessDeps {
  clock: Clock;
  rng: Rng;
  options: RunOptions;
  /** The run's history, appended to as things happen (absolute clock times). */
  events: HistoryEvent[];
  log: (e: RunLogEntry) => void;
  /** Black-box: the manager is only the load's client of a gateway (sut-client.ts). */
  client?: SutClient;
}

export class ManagerHarness {
  /** server → effective settings (known once started). */
  readonly effectiveSettings = new Map<string, ResilienceSettings>();
  private manager: McpManager | undefined;
  private subscription: Disposable | undefined;
  private progressTimer: TimerHandle | undefined;
  /** Cancels every call in flight at teardown. */
  private readonly cancel = new AbortController();
  private syntheticId = 0;
  private warming = false;
  private finished = 0;
  private failed = 0;
  private readonly breakers: Record<string, string> = {};
  /** Endpoints that connected at least once (seen before a black-box client's filter drops the event). */
  private readonly connected = new Set<string>();

  constructor(
    private readonly plan: Plan,
    private readonly d: ManagerHarnessDeps,
  ) {
    setMaxListeners(0, this.cancel.signal);
  }

  /** Builds and starts the manager over `fleet`'s endpoints. */
  async start(fleet: RunFleet): Promise<void> {
    const { clock, rng, log } = this.d;
    const client = this.d.client;
    this.manager = new McpManager({
      servers: client
        ? client.servers(this.plan)
        : this.plan.servers.map(
            (s): ServerConfig => ({
              name: s.name,
              endpoints: s.endpoints.map((e) => fleet.endpointConfig(e.id)),
              settings: s.overrides,
            }),
          ),
      settings: client ? client.settings : this.plan.settings,
      clock,
      rng: rng.fork('manager'),
    });
    for (const s of this.manager.registry.servers())
      this.effectiveSettings.set(s.name, s.settings as ResilienceSettings);
    const events = this.d.events;
    this.subscription = this.manager.onEvent((x: ManagerEvent) => {
      if (x.type === 'connection' && x.kind === 'connected') this.connected.add(x.endpoint);
      if (this.warming && WARMUP_DROPPED.has(x.type)) return;
      const e = client ? client.keep(x) : x;
      if (e === undefined) return;
      events.push(e);
      if (e.type === 'call-end') {
        this.finished++;
        if (e.outcome !== 'success') this.failed++;
      } else if (e.type === 'breaker') this.breakers[e.endpoint] = e.to;
    });
    await this.manager.start();
    this.assertStdioStarted(fleet);
    log({
      level: 'debug',
      msg: 'manager started',
      fields: { servers: this.plan.servers.map((s) => s.name) },
    });
  }

  /**
   * A stdio server whose child never came up (it exited at start, or could not be spawned) is an
   * infrastructure error before the steady state — as a spawned HTTP server that is never ready is —
   * naming its command and why its first connect failed (the child's own last words when it died).
   */
  private assertStdioStarted(fleet: RunFleet): void {
    const manager = this.manager as McpManager;
    const problems: string[] = [];
    const why = new Map(manager.snapshot().endpoints.map((x) => [x.id, x.startError]));
    for (const e of manager.registry.endpoints()) {
      if (e.transport !== 'stdio') continue;
      if (this.connected.has(e.id)) continue;
      const reason = why.get(e.id);
      problems.push(
        `${e.id}: the stdio server did not start: ${fleet.stdioLabel(e.id) ?? (e.command ?? []).join(' ')}${reason ? `: ${reason}` : ''}`,
      );
    }
    if (problems.length > 0) throw new ChaosError('INFRASTRUCTURE', problems.join('; '));
  }

  /**
   * Warms up every path the load will take (JIT of client, proxy and server code, connection pools):
   * a few rounds of parallel calls per load stream, with a generous deadline, outcomes ignored. Their call
   * events are left out of the history; state changes they cause (none, normally) are kept.
   */
  async warmUp(): Promise<void> {
    const manager = this.manager;
    if (!manager) return;
    this.warming = true;
    try {
      for (let round = 0; round < WARMUP_ROUNDS; round++) {
        const calls: Array<Promise<unknown>> = [];
        for (const l of this.plan.load) {
          const replicas = this.plan.servers.find((s) => s.name === l.server)?.replicas ?? 1;
          for (let i = 0; i < replicas * WARMUP_CALLS_PER_REPLICA; i++) {
            calls.push(
              manager.callTool(l.server, this.toolName(l.server, l.tool), l.args, {
                timeoutMs: WARMUP_TIMEOUT_MS,
                idempotent: l.idempotent,
                toolErrorsAreSuccess: l.toolErrorsAreSuccess,
                signal: this.cancel.signal,
              }),
            );
          }
        }
        await Promise.allSettled(calls);
      }
    } finally {
      this.warming = false;
    }
  }

  /**
   * Waits (polling, bounded) until every endpoint looks ready for the steady state: breaker closed or
   * disabled, not ejected, and healthy (or, without probes, not unhealthy). Returns the endpoints that
   * were still not settled at the deadline (the run goes on; the steady state will tell).
   */
  async settle(): Promise<string[]> {
    const manager = this.manager;
    if (!manager) return [];
    const probes = new Map<string, boolean>();
    for (const s of manager.registry.servers())
      for (const e of s.endpoints) probes.set(e.id, s.settings.health.probe !== 'none');
    const unsettled = () =>
      manager
        .snapshot()
        .endpoints.filter(
          (e) =>
            e.ejected ||
            (e.breaker !== 'closed' && e.breaker !== 'disabled') ||
            (probes.get(e.id) ? e.health !== 'healthy' : e.health === 'unhealthy'),
        )
        .map((e) => e.id);
    const { clock } = this.d;
    const deadline = clock.now() + SETTLE_TIMEOUT_MS;
    let left = unsettled();
    while (left.length > 0 && clock.now() < deadline && !this.d.options.signal?.aborted) {
      await clock.sleep(SETTLE_POLL_MS);
      left = unsettled();
    }
    if (left.length > 0) {
      this.d.log({
        level: 'warn',
        msg: 'endpoints not settled before the steady state',
        fields: { endpoints: left },
      });
    }
    return left;
  }

  /**
   * The load generator's call function. Each logical call is stamped with `_meta["dev.mcp-chaos/call"]`
   * (kept by the manager across retries and re-issues; recorded in its call-start event), so the mocks'
   * execution logs can be matched to calls.
   */
  callFn(): (s: LoadStream) => Promise<unknown> {
    const manager = this.manager as McpManager;
    const opts: CallOptions[] = this.plan.load.map((l) => {
      const o: CallOptions = {
        signal: this.cancel.signal,
        toolErrorsAreSuccess: l.toolErrorsAreSuccess,
      };
      if (l.idempotent !== undefined) o.idempotent = l.idempotent;
      if (l.timeoutMs !== undefined) o.timeoutMs = l.timeoutMs;
      return o;
    });
    let logical = 0;
    const tools = this.plan.load.map((l) => this.toolName(l.server, l.tool));
    return (s) =>
      manager.callTool(s.server, tools[s.index] as string, s.args, {
        ...opts[s.index],
        meta: { [CALL_META_KEY]: String(++logical) },
      });
  }

  /** The tool's name as the system under test exposes it. */
  private toolName(server: string, tool: string): string {
    return this.d.client ? this.d.client.toolName(server, tool) : tool;
  }

  /** A call was due while its stream was at its cap: recorded as a client-side rejection. */
  readonly onRejected = (s: LoadStream, t: number): void => {
    const callId = --this.syntheticId;
    this.d.events.push(
      {
        type: 'call-start',
        t,
        callId,
        server: s.server,
        tool: s.tool,
        idempotent: s.idempotent ?? false,
        deadline: t + (s.timeoutMs ?? this.effectiveSettings.get(s.server)?.callTimeoutMs ?? 0),
      },
      {
        type: 'call-end',
        t,
        callId,
        server: s.server,
        outcome: 'pool-exhausted',
        latencyMs: 0,
        attempts: 0,
        error: `load generator: ${s.maxOutstanding} calls of this stream already outstanding (client-side rejection)`,
      },
    );
    this.finished++;
    this.failed++;
  };

  /** Reports progress every `progressIntervalMs` until teardown; `origin` is the start of load. */
  watchProgress(origin: () => number, stage: () => RunProgress['stage'], lag: () => number): void {
    const { options, clock } = this.d;
    if (!options.onProgress) return;
    const every = options.progressIntervalMs ?? 250;
    let lastT = clock.now();
    let lastFinished = 0;
    const tick = () => {
      const now = clock.now();
      const dt = Math.max(1, now - lastT);
      options.onProgress?.({
        scenario: this.plan.name,
        stage: stage(),
        ...(this.d.client ? { sut: 'gateway' } : {}),
        elapsedMs: now - origin(),
        durationMs: this.plan.durationMs,
        calls: this.finished,
        errors: this.failed,
        callsPerSec: ((this.finished - lastFinished) * 1000) / dt,
        breakers: { ...this.breakers },
        harnessLagMs: lag(),
      });
      lastT = now;
      lastFinished = this.finished;
      this.progressTimer = clock.setTimeout(tick, every);
    };
    this.progressTimer = clock.setTimeout(tick, every);
  }

  /** The manager's live-fleet API, as a deploy drives it. */
  fleetControl(): FleetControl {
    const manager = this.manager as McpManager;
    return {
      add: (server, config) => manager.addEndpoint(server, config),
      remove: (id, drainMs) => manager.removeEndpoint(id, drainMs === undefined ? {} : { drainMs }),
      trouble: (id) => {
        const e = manager.snapshot().endpoints.find((x) => x.id === id);
        if (!e) return undefined;
        if (e.breaker === 'open') return 'its breaker opened';
        if (e.ejected) return 'ejected as an outlier';
        if (e.health === 'unhealthy') return 'marked unhealthy';
        return undefined;
      },
    };
  }

  /** The live child pid of a stdio endpoint, as the manager knows it. */
  pidOf(id: string): number | undefined {
    return this.manager?.pidOf(id);
  }

  /** Stops progress reports and cancels every call in flight (first thing at teardown). */
  stopCalls(): void {
    this.d.clock.clearTimeout(this.progressTimer);
    this.progressTimer = undefined;
    this.cancel.abort(new Error('run over'));
  }

  /** Closes the manager (after {@link stopCalls}). */
  async close(rollback: RollbackLog): Promise<void> {
    this.stopCalls();
    const manager = this.manager;
    if (manager) await rollback.step('close manager', () => manager.close());
    this.subscription?.dispose();
  }
}
