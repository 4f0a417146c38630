/**
 * What a run starts before the manager: the targets (mock, spawned or existing servers), Toxiproxy
 * (embedded, or the one at TOXIPROXY_URL) and a proxy in front of every HTTP endpoint, with a relay
 * between proxy and server (relay/http-relay.ts: `mcp` faults, and the execution log of a server the
 * runner cannot look into) for every spawned or existing server and for mocks of a server some `mcp` fault
 * targets (other mocks keep their own execution logs, and one hop less); and, at the end,
 * undoing every fault still in place and stopping all of it. Every step of rollback and teardown is
 * guarded so one failure never skips the rest.
 */
import type { Clock } from '../../core/clock.js';
import { ChaosError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { EndpointConfig } from '../../manager/index.js';
import { type HttpRelay, type StdioRelay, stdioBridgeCommand } from '../../relay/index.js';
import type { ExecutionRecord } from '../history.js';
import type { Plan, PlannedEndpoint } from '../scenario/index.js';
import { findChildPids } from './child-pids.js';
import type { DeployRunner } from './deploy-runner.js';
import { ExecutionLogs } from './execution-logs.js';
import type { FaultTimeline } from './fault-timeline.js';
import { placeProxy } from './place-proxy.js';
import type { RollbackLog } from './rollback.js';
import type { OwnedToxiproxy, RunLogEntry, RunOptions } from './run-options.js';
import {
  firstRejection,
  type StartTargetsOptions,
  startTarget,
  startTargets,
  type Target,
} from './targets.js';
import { ToxiproxyControl } from './toxiproxy-control.js';

/** Grace between SIGTERM and SIGKILL when stopping children at the end (ms). */
const STOP_GRACE_MS = 3000;
/** Longest a rollback may take to bring deployed replicas back to their versions before (ms). */
const RESTORE_TIMEOUT_MS = 60_000;

export interface RunFleetDeps {
  clock: Clock;
  rng: Rng;
  seed: number;
  options: RunOptions;
  log: (e: RunLogEntry) => void;
}

export class RunFleet {
  readonly targets = new Map<string, Target>();
  /** endpoint id → the name of the proxy in front of it. */
  readonly proxyOf = new Map<string, string>();
  /** endpoint id → the relay between its proxy and the server (HTTP, or stdio behind a bridge). */
  readonly relayOf = new Map<string, HttpRelay | StdioRelay>();
  /** Servers whose HTTP endpoints get a relay. */
  private readonly relayed = new Set<string>();
  /** stdio servers some toxic, `down` or mcp fault targets: they run behind a bridge, a proxy and a relay. */
  private readonly stdioRelayed = new Set<string>();
  /** A black-box SUT with deploys: replicas are replaced behind their slot's proxy (black-box-deploys.ts). */
  private readonly blackBoxDeploys: boolean;
  /** Replica id → the slot it was started for. */
  private readonly slotOf = new Map<string, string>();
  /** Slot id → its relay (black-box deploys): kept when the replica filling it is retired. */
  private readonly slotRelay = new Map<string, HttpRelay>();
  control: ToxiproxyControl | undefined;
  toxiproxyUrl = '';
  toxiproxyVersion = '';
  private owned: OwnedToxiproxy | undefined;
  /** Replicas a deploy took out (already stopped). */
  private readonly retired = new Set<string>();
  /** Endpoint ids whose mocks run as child processes (a process fault targets their slot). */
  private readonly asChild = new Set<string>();
  private readonly executionLogs = new ExecutionLogs();
  private readonly runId: string;

  constructor(
    private readonly plan: Plan,
    private readonly d: RunFleetDeps,
  ) {
    this.runId = `${process.pid.toString(36)}${Math.floor(d.clock.now()).toString(36).slice(-6)}`;
    for (const s of plan.servers) if (s.kind !== 'mock') this.relayed.add(s.name);
    this.blackBoxDeploys = plan.sut.kind === 'gateway' && plan.faults.some((f) => f.kind === 'deploy');
    if (this.blackBoxDeploys)
      for (const f of plan.faults)
        if (f.kind === 'deploy') for (const e of f.endpoints) this.relayed.add(plan.endpoints[e] ?? '');
    for (const f of plan.faults) {
      if (f.kind === 'mcp') for (const e of f.endpoints) this.relayed.add(plan.endpoints[e] ?? '');
      if (f.kind === 'mcp' || f.kind === 'toxic' || f.kind === 'down')
        for (const e of f.endpoints) this.stdioRelayed.add(plan.endpoints[e] ?? '');
    }
  }

  /** Targets, then Toxiproxy and the proxies. Throws on an infrastructure failure. */
  async start(): Promise<void> {
    for (const f of this.plan.faults)
      if (f.kind === 'process') for (const e of f.endpoints) this.asChild.add(e);
    await startTargets(this.plan.servers, this.startOptions());
    const proxied = [...this.targets.values()].filter((t) => this.needsProxy(t));
    if (proxied.length > 0) await this.startProxies(proxied);
  }

  private startOptions(): StartTargetsOptions {
    const { clock, rng, log } = this.d;
    return {
      clock,
      rng,
      ...(this.d.options.signal ? { signal: this.d.options.signal } : {}),
      processFaultTargets: this.asChild,
      log,
      onStarted: (t) => this.targets.set(t.id, t),
      executionLog: (id) => this.executionLogs.fileFor(id),
    };
  }

  /**
   * Starts a new replica for slot `slot` (a deploy's new version, or the old one again) as endpoint `id`,
   * with a proxy in front when its server has them. What started is stopped again if a later step fails.
   */
  async startReplica(version: PlannedEndpoint, id: string, slot: string): Promise<Target> {
    if (this.asChild.has(slot)) this.asChild.add(id);
    this.slotOf.set(id, slot);
    const t = await startTarget({ ...version, id }, this.startOptions());
    if (this.needsProxy(t) && !this.blackBoxDeploys) {
      try {
        await this.addProxy(t);
      } catch (e) {
        await this.retire(id);
        throw e;
      }
    }
    return t;
  }

  /**
   * Black-box deploys: the slot of replica `id` now sends new requests to it (its relay's upstream); faults
   * that follow the slot act on the same proxy and relay.
   */
  handOver(id: string): void {
    const slot = this.slotOf.get(id) ?? id;
    const relay = this.slotRelay.get(slot);
    const http = this.targets.get(id)?.http;
    if (!relay || !http) throw new ChaosError('INTERNAL', `${id}: no relay behind slot ${slot} to hand over`);
    relay.setUpstream({ host: http.host, port: http.port });
    this.relayOf.set(id, relay);
    const proxy = this.proxyOf.get(slot);
    if (proxy) this.proxyOf.set(id, proxy);
  }

  /** Stops a replica that left the fleet: its proxy, process or mock (its execution log is kept). */
  async retire(id: string): Promise<void> {
    const t = this.targets.get(id);
    if (!t) return;
    this.retired.add(id);
    const relay = this.relayOf.get(id);
    const shared =
      this.blackBoxDeploys && relay !== undefined && [...this.slotRelay.values()].some((r) => r === relay);
    if (!shared) {
      const proxy = this.proxyOf.get(id);
      if (proxy && this.control) await this.control.deleteProxy(proxy);
      this.proxyOf.delete(id);
      await relay?.close();
    }
    await t.process?.stop(STOP_GRACE_MS, (ms) => this.d.clock.sleep(ms));
    await t.mock?.close();
  }

  /** An HTTP endpoint the manager reaches through a proxy, or a stdio one behind a bridge and relay. */
  private needsProxy(t: Target): boolean {
    return (t.proxied && t.http !== undefined) || (t.stdio !== undefined && this.stdioRelayed.has(t.server));
  }

  /** How the manager reaches endpoint `id`: through its proxy (HTTP), a bridge to it, or by spawning it (stdio). */
  endpointConfig(id: string): EndpointConfig {
    const t = this.targets.get(id) as Target;
    if (t.bridge)
      return { id: t.id, transport: 'stdio', command: stdioBridgeCommand(t.bridge.host, t.bridge.port) };
    if (t.stdio) {
      const c: EndpointConfig = { id: t.id, transport: 'stdio', command: t.stdio.command, env: t.stdio.env };
      if (t.stdio.cwd) c.cwd = t.stdio.cwd;
      return c;
    }
    const http = t.http as NonNullable<Target['http']>;
    return { id: t.id, transport: http.transport, url: http.url };
  }

  /** server → the URLs of its HTTP replicas, through their proxies (a gateway under test's upstreams). */
  upstreams(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const s of this.plan.servers) {
      const urls = s.endpoints.map((e) => this.targets.get(e.id)?.http?.url).filter((u): u is string => !!u);
      if (urls.length > 0) out.set(s.name, urls);
    }
    return out;
  }

  /** A relayed stdio endpoint's real command, and what its relay saw of it (for start errors). */
  stdioLabel(id: string): string | undefined {
    const t = this.targets.get(id);
    const r = this.relayOf.get(id);
    if (!t?.bridge || !t.stdio || !r || !('diagnostics' in r)) return undefined;
    const seen = r.diagnostics();
    return `${t.stdio.command.join(' ')} (behind the stdio relay${seen ? `: ${seen}` : ''})`;
  }

  /** pid of a relayed stdio endpoint's real server (the relay runs it). */
  relayedPid(id: string): number | undefined {
    const r = this.relayOf.get(id);
    return r && 'pid' in r ? r.pid : undefined;
  }

  /** pid of a stdio endpoint's child found by its argv (when the manager cannot say). */
  childPid(id: string): number | undefined {
    const t = this.targets.get(id);
    return t?.stdio ? findChildPids(t.stdio.command)[0] : undefined;
  }

  /** Whether endpoint `id` is a stdio endpoint. */
  isStdio(id: string): boolean {
    return this.targets.get(id)?.stdio !== undefined;
  }

  /**
   * Undoes every fault still in place: toxics, disabled proxies, paused or stopped processes; then the
   * fleet goes back to its versions before any deploy (skipped when the run was interrupted: everything
   * is stopped right after anyway).
   */
  async rollbackFaults(
    rollback: RollbackLog,
    timeline: FaultTimeline | undefined,
    deploys?: { runner: DeployRunner; interrupted: boolean },
    interrupted = false,
  ): Promise<void> {
    if (timeline) {
      await rollback.all(
        timeline.stillActive().map(({ step, endpoint }): [string, () => Promise<unknown>] => {
          // interrupted: a killed or stopped process is not started again only to be stopped at once
          if (interrupted && step.kind === 'process' && step.process !== 'pause')
            return [`leave ${endpoint} stopped (${step.process}: the run was interrupted)`, async () => {}];
          return [
            `remove fault ${step.name} (${step.kind === 'toxic' ? step.toxic?.type : step.kind === 'down' ? 'down' : step.process}) from ${endpoint}`,
            () => timeline.rollback(step, endpoint),
          ];
        }),
      );
    }
    // Safety net: anything this run changed on the proxy that the timeline did not undo.
    await rollback.all(
      [...this.relayOf]
        .filter(([, r]) => r.fault !== undefined)
        .map(([id, r]) => [`remove mcp fault from ${id}`, async () => r.setFault(undefined)]),
    );
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
    const runner = deploys?.runner;
    if (runner?.pendingRestore && !deploys?.interrupted) {
      await rollback.step(
        'restore the fleet to its versions before the deploys',
        () => runner.restoreAll(),
        RESTORE_TIMEOUT_MS,
      );
    }
  }

  /** Deletes the proxies this run created (before the manager closes, so nothing new reaches them). */
  async deleteProxies(rollback: RollbackLog): Promise<void> {
    const control = this.control;
    if (!control) return;
    await rollback.all(
      control.createdProxies().map((p) => [`delete proxy ${p}`, () => control.deleteProxy(p)]),
    );
  }

  /** Stops processes and mocks, then closes an embedded Toxiproxy. */
  async stop(rollback: RollbackLog): Promise<void> {
    const { clock } = this.d;
    await rollback.all(
      [...this.targets.values()].flatMap((t): Array<[string, () => Promise<unknown>]> => {
        if (this.retired.has(t.id)) return [];
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
    // a slot's relay serves every replica that filled it: closed once
    const relays = new Map<HttpRelay | StdioRelay, string>();
    for (const [id, r] of this.relayOf) if (!relays.has(r)) relays.set(r, id);
    await rollback.all(
      [...relays].map(([r, id]): [string, () => Promise<unknown>] => [
        `close relay of ${id}`,
        () => r.close(),
      ]),
    );
    const owned = this.owned;
    if (owned) await rollback.step('close embedded Toxiproxy', () => owned.close());
  }

  /** What the replicas executed (absolute clock times); call after stop(). */
  executions(): ExecutionRecord[] | undefined {
    return this.executionLogs.collect(this.targets.values(), this.relayOf);
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
    firstRejection(await Promise.allSettled(proxied.map((t) => this.addProxy(t))));
  }

  /** A proxy in front of `t` (and a relay where it needs one: place-proxy.ts). */
  private async addProxy(t: Target): Promise<void> {
    const control = this.control;
    if (!control) throw new ChaosError('INTERNAL', `${t.id}: no Toxiproxy to put a proxy in front`);
    const placed = await placeProxy(t, {
      control,
      name: `mcpchaos-${this.runId}-${sanitize(t.id)}`,
      relayHttp: this.relayed.has(t.server),
      clock: this.d.clock,
      log: this.d.log,
    });
    this.proxyOf.set(t.id, placed.name);
    if (placed.relay) {
      this.relayOf.set(t.id, placed.relay);
      if (this.blackBoxDeploys && !('pid' in placed.relay)) this.slotRelay.set(t.id, placed.relay);
    }
  }
}

function sanitize(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+$/, '');
}
