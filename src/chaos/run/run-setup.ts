/**
 * The things one run owns — targets, Toxiproxy (embedded or not), proxies, the manager — how they are
 * brought up in order, how faults are rolled back, and how everything is torn down. Every step of
 * rollback and teardown is guarded so one failure never skips the rest.
 */
import { setMaxListeners } from 'node:events';
import type { Clock, TimerHandle } from '../../core/clock.js';
import { ChaosError } from '../../core/errors.js';
import type { Disposable } from '../../core/events.js';
import type { Rng } from '../../core/rng.js';
import {
  type CallOptions,
  type EndpointConfig,
  type ManagerEvent,
  McpManager,
  type ResilienceSettings,
  type ServerConfig,
} from '../../manager/index.js';
import type { History, HistoryEvent } from '../history.js';
import type { Plan } from '../scenario/index.js';
import { findChildPids } from './child-pids.js';
import type { FaultTimeline } from './fault-timeline.js';
import type { LoadGenerator, LoadStream } from './load-generator.js';
import type { RollbackLog } from './rollback.js';
import type { OwnedToxiproxy, RunLogEntry, RunOptions } from './run-options.js';
import { firstRejection, startTargets, type Target } from './targets.js';
import { ToxiproxyControl } from './toxiproxy-control.js';

/** Grace between SIGTERM and SIGKILL when stopping children at the end (ms). */
const STOP_GRACE_MS = 3000;
/** Warm-up: rounds of parallel calls per load stream, calls per replica per round, and their deadline. */
const WARMUP_ROUNDS = 2;
const WARMUP_CALLS_PER_REPLICA = 2;
/** Longest wait after warm-up for every endpoint to look settled (healthy, closed, not ejected). */
const SETTLE_TIMEOUT_MS = 5000;
const WARMUP_TIMEOUT_MS = 5000;
/** Call events of warm-up calls are not part of the history (state changes, if any, are). */
const WARMUP_DROPPED = new Set(['call-start', 'attempt-start', 'attempt-end', 'call-end', 'retry-denied']);

export interface RunSetupDeps {
  clock: Clock;
  rng: Rng;
  seed: number;
  options: RunOptions;
  /** The run's history, appended to as things happen (absolute clock times until {@link RunSetup.history}). */
  events: HistoryEvent[];
  log: (e: RunLogEntry) => void;
}

function sanitize(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+$/, '');
}

export class RunSetup {
  readonly targets = new Map<string, Target>();
  readonly proxyOf = new Map<string, string>();
  readonly effectiveSettings = new Map<string, ResilienceSettings>();
  control: ToxiproxyControl | undefined;
  toxiproxyUrl = '';
  toxiproxyVersion = '';
  private owned: OwnedToxiproxy | undefined;
  private manager: McpManager | undefined;
  private subscription: Disposable | undefined;
  private progressTimer: TimerHandle | undefined;
  private readonly cancel = new AbortController();
  private readonly runId: string;
  private syntheticId = 0;
  private warming = false;
  private finished = 0;
  private failed = 0;
  private readonly breakers: Record<string, string> = {};

  constructor(
    private readonly plan: Plan,
    private readonly d: RunSetupDeps,
  ) {
    setMaxListeners(0, this.cancel.signal);
    this.runId = `${process.pid.toString(36)}${Math.floor(d.clock.now()).toString(36).slice(-6)}`;
  }

  /** Targets → Toxiproxy → proxies → manager. Throws on an infrastructure failure. */
  async start(): Promise<void> {
    const { clock, rng, log } = this.d;
    const processFaultTargets = new Set(
      this.plan.faults.filter((f) => f.kind === 'process').flatMap((f) => f.endpoints),
    );
    await startTargets(this.plan.servers, {
      clock,
      rng,
      ...(this.d.options.signal ? { signal: this.d.options.signal } : {}),
      processFaultTargets,
      log,
      onStarted: (t) => this.targets.set(t.id, t),
    });
    const proxied = [...this.targets.values()].filter((t) => t.proxied && t.http);
    if (proxied.length > 0) await this.startProxies(proxied);
    this.manager = new McpManager({
      servers: this.plan.servers.map(
        (s): ServerConfig => ({
          name: s.name,
          endpoints: s.endpoints.map((e) => this.endpointConfig(this.targets.get(e.id) as Target)),
          settings: s.overrides,
        }),
      ),
      settings: this.plan.settings,
      clock,
      rng: rng.fork('manager'),
    });
    for (const s of this.manager.registry.servers())
      this.effectiveSettings.set(s.name, s.settings as ResilienceSettings);
    const events = this.d.events;
    this.subscription = this.manager.onEvent((e: ManagerEvent) => {
      if (this.warming && WARMUP_DROPPED.has(e.type)) return;
      events.push(e);
      if (e.type === 'call-end') {
        this.finished++;
        if (e.outcome !== 'success') this.failed++;
      } else if (e.type === 'breaker') this.breakers[e.endpoint] = e.to;
    });
    await this.manager.start();
    log({
      level: 'debug',
      msg: 'manager started',
      fields: { servers: this.plan.servers.map((s) => s.name) },
    });
  }

  private async startProxies(proxied: Target[]): Promise<void> {
    const { options, seed, log } = this.d;
    if (options.toxiproxyUrl) {
      this.toxiproxyUrl = options.toxiproxyUrl.replace(/\/+$/, '');
    } else if (options.startToxiproxy) {
      this.owned = await options.startToxiproxy({ seed });
      this.toxiproxyUrl = this.owned.url.replace(/\/+$/, '');
      log({ level: 'debug', msg: 'embedded Toxiproxy started', fields: { url: this.toxiproxyUrl } });
    } else {
      throw new ChaosError(
        'INFRASTRUCTURE',
        'no Toxiproxy: give toxiproxyUrl (TOXIPROXY_URL) or startToxiproxy',
      );
    }
    this.control = new ToxiproxyControl(this.toxiproxyUrl);
    this.toxiproxyVersion = await this.control.version();
    const control = this.control;
    const settled = await Promise.allSettled(
      proxied.map(async (t) => {
        const http = t.http as NonNullable<Target['http']>;
        const name = `mcpchaos-${this.runId}-${sanitize(t.id)}`;
        const created = await control.createProxy(name, `${http.host}:${http.port}`);
        this.proxyOf.set(t.id, name);
        const u = new URL(http.url);
        u.hostname = created.host;
        u.port = String(created.port);
        t.http = { ...http, url: u.toString() };
        log({
          level: 'debug',
          msg: 'proxy created',
          fields: { endpoint: t.id, proxy: name, listen: `${created.host}:${created.port}` },
        });
      }),
    );
    firstRejection(settled);
  }

  private endpointConfig(t: Target): EndpointConfig {
    if (t.stdio) {
      const c: EndpointConfig = { id: t.id, transport: 'stdio', command: t.stdio.command, env: t.stdio.env };
      if (t.stdio.cwd) c.cwd = t.stdio.cwd;
      return c;
    }
    const http = t.http as NonNullable<Target['http']>;
    return { id: t.id, transport: http.transport, url: http.url };
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
              manager.callTool(l.server, l.tool, l.args, {
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
      await clock.sleep(25);
      left = unsettled();
    }
    if (left.length > 0)
      this.d.log({
        level: 'warn',
        msg: 'endpoints not settled before the steady state',
        fields: { endpoints: left },
      });
    return left;
  }

  /** The load generator's call function: one prebuilt options object per stream, no per-call allocation. */
  callFn(): (s: LoadStream) => Promise<unknown> {
    const manager = this.manager as McpManager;
    const opts: CallOptions[] = this.plan.load.map((l) => {
      const o: CallOptions = {
        idempotent: l.idempotent,
        signal: this.cancel.signal,
        toolErrorsAreSuccess: l.toolErrorsAreSuccess,
      };
      if (l.timeoutMs !== undefined) o.timeoutMs = l.timeoutMs;
      return o;
    });
    return (s) => manager.callTool(s.server, s.tool, s.args, opts[s.index]);
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
        idempotent: s.idempotent,
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

  /** Reports progress every `progressIntervalMs` until teardown. */
  watchProgress(_load: LoadGenerator, origin: () => number): void {
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
        elapsedMs: now - origin(),
        durationMs: this.plan.durationMs,
        calls: this.finished,
        errors: this.failed,
        callsPerSec: ((this.finished - lastFinished) * 1000) / dt,
        breakers: { ...this.breakers },
      });
      lastT = now;
      lastFinished = this.finished;
      this.progressTimer = clock.setTimeout(tick, every);
    };
    this.progressTimer = clock.setTimeout(tick, every);
  }

  /** pid of the manager-spawned child of a stdio endpoint (the manager's pidOf, else found by its argv). */
  stdioPid(id: string): number | undefined {
    const t = this.targets.get(id);
    if (!t?.stdio) return undefined;
    const fromManager = this.manager?.pidOf(id);
    if (fromManager !== undefined) return fromManager;
    // Fallback: look for our child with the endpoint's argv.
    return findChildPids(t.stdio.command)[0];
  }

  /** Undoes every fault still in place: toxics, disabled proxies, paused or stopped processes. */
  async rollbackFaults(rollback: RollbackLog, timeline: FaultTimeline | undefined): Promise<void> {
    if (timeline) {
      await rollback.all(
        timeline
          .stillActive()
          .map(({ step, endpoint }) => [
            `remove fault ${step.name} (${step.kind === 'toxic' ? step.toxic?.type : step.kind === 'down' ? 'down' : step.process}) from ${endpoint}`,
            () => timeline.rollback(step, endpoint),
          ]),
      );
    }
    // Safety net: anything this run changed on the proxy that the timeline did not undo.
    const control = this.control;
    if (control) {
      await rollback.all(
        control
          .activeToxics()
          .map((h) => [`remove toxic ${h.name} from ${h.proxy}`, () => control.removeToxic(h)]),
      );
      await rollback.all(
        control.disabledProxies().map((p) => [`re-enable proxy ${p}`, () => control.setEnabled(p, true)]),
      );
    }
    await rollback.all(
      [...this.targets.values()]
        .filter((t) => t.process?.isPaused)
        .map((t) => [`resume ${t.id}`, () => t.process?.signal('SIGCONT')]),
    );
  }

  /** Cancels calls in flight, deletes proxies, closes the manager, stops processes and mocks, closes Toxiproxy. */
  async teardown(rollback: RollbackLog): Promise<void> {
    const { clock } = this.d;
    clock.clearTimeout(this.progressTimer);
    this.progressTimer = undefined;
    this.cancel.abort(new Error('run over'));
    const control = this.control;
    if (control) {
      await rollback.all(
        control.createdProxies().map((p) => [`delete proxy ${p}`, () => control.deleteProxy(p)]),
      );
    }
    const manager = this.manager;
    if (manager) await rollback.step('close manager', () => manager.close());
    this.subscription?.dispose();
    const targets = [...this.targets.values()];
    await rollback.all(
      targets.flatMap((t): Array<[string, () => Promise<unknown>]> => {
        const steps: Array<[string, () => Promise<unknown>]> = [];
        const proc = t.process;
        if (proc?.pid !== undefined) {
          steps.push([
            `stop process ${t.id} (pid ${proc.pid})`,
            () => proc.stop(STOP_GRACE_MS, (ms) => clock.sleep(ms)),
          ]);
        }
        const mock = t.mock;
        if (mock) steps.push([`stop mock ${t.id}`, () => mock.close()]);
        return steps;
      }),
    );
    const owned = this.owned;
    if (owned) await rollback.step('close embedded Toxiproxy', () => owned.close());
  }

  /** The run's history, with every `t` rebased to `origin` (the start of load). Call once, at the end. */
  history(origin: number): History {
    const events = this.d.events;
    let sorted = true;
    let prev = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < events.length; i++) {
      let e = events[i] as HistoryEvent;
      if (Object.isFrozen(e)) {
        e = { ...e };
        events[i] = e;
      }
      (e as { t: number }).t -= origin;
      // Payload times too, so they are relative like `t` (stats' relativeT then leaves them alone).
      if (e.type === 'call-start') e.deadline -= origin;
      else if (e.type === 'ejection' && e.untilT !== undefined) e.untilT -= origin;
      if (e.t < prev) sorted = false;
      prev = e.t;
    }
    if (!sorted) events.sort((a, b) => a.t - b.t);
    const settings: Record<string, ResilienceSettings> = {};
    for (const [k, v] of this.effectiveSettings) settings[k] = v;
    return {
      origin,
      durationMs: this.plan.durationMs,
      endpoints: { ...this.plan.endpoints },
      settings,
      faults: this.plan.faults.map((f) => ({
        name: f.name,
        endpoints: [...f.endpoints],
        startT: f.startT,
        endT: f.endT,
        kind: f.kind,
        detail: f.detail,
      })),
      events,
    };
  }
}
