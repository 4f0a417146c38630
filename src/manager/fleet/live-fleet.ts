/**
 * A live fleet: endpoints added to and removed from a running manager (Envoy's endpoint discovery with
 * draining and slow start), one change at a time per endpoint.
 * - **add**: the endpoint is built `joining` (no calls), connected, probed; its first good probe (or, with
 *   probes off, a good connect) admits it — it then serves, ramping up over `fleet.slowStartMs`. Not admitted
 *   within `fleet.admitTimeoutMs`: it is removed again and the add fails ENDPOINT_NOT_ADMITTED.
 * - **remove**: the endpoint drains — no new calls, not even in panic mode — until its calls in flight (and
 *   queued) are done or `fleet.drainMs` passes; then its probes stop, its connection closes (a call still
 *   running then fails like on any closed connection, and is retried elsewhere when it may be) and it leaves.
 * - **replace**: add the new one, and only once it serves drain the old one; a new one that is never
 *   admitted leaves the old one as it was.
 * Every step is a `fleet` event; the registry, `snapshot()` and the metrics follow.
 */
import type { Clock } from '../../core/clock.js';
import { ChaosError } from '../../core/errors.js';
import type { Emitter } from '../../core/events.js';
import {
  type BuildDeps,
  buildEndpoint,
  type EndpointEntry,
  endpointSettingsOf,
  endpointSpec,
  type Fleet,
} from '../registry/index.js';
import { assertValidSettings } from '../settings/index.js';
import type { EndpointConfig, ManagerEvent } from '../types.js';

/** How often a drain looks at what is still in flight (ms). */
const DRAIN_POLL_MS = 10;

export interface FleetHost {
  readonly deps: BuildDeps;
  readonly fleet: Fleet;
  /** Whether the manager is closing (no more changes). */
  closing(): boolean;
  /** The fleet changed: the manager refreshes its endpoint list and registry. */
  changed(): void;
}

export interface RemoveOptions {
  /** Longest wait for calls in flight, ms (default the server's fleet.drainMs). */
  drainMs?: number;
}

export class LiveFleet {
  /** Next index per server (never reused, so an id names one endpoint for the manager's life). */
  private readonly nextIndex = new Map<string, number>();
  /** Endpoints being added or removed (one change at a time each). */
  private readonly busy = new Set<string>();

  constructor(private readonly host: FleetHost) {}

  private get clock(): Clock {
    return this.host.deps.clock;
  }

  private get events(): Emitter<ManagerEvent> {
    return this.host.deps.events;
  }

  /** Adds an endpoint to `server`; resolves with its id once it serves (see the file header). */
  async add(server: string, config: EndpointConfig): Promise<string> {
    this.assertOpen();
    const group = this.host.fleet.servers.get(server);
    const context = this.host.fleet.contexts.get(server);
    if (group === undefined || context === undefined)
      throw new ChaosError('UNKNOWN_SERVER', `unknown server "${server}"`, { details: { server } });
    const index = this.nextIndex.get(server) ?? Math.max(-1, ...group.endpoints.map((e) => e.index)) + 1;
    const spec = endpointSpec(server, index, config);
    if (this.host.fleet.endpoints.has(spec.id) || this.busy.has(spec.id))
      throw new RangeError(`duplicate endpoint id "${spec.id}"`);
    const { own, resolved } = endpointSettingsOf(
      context.managerSettings,
      context.serverSettings,
      context.settings,
      spec,
    );
    if (spec.settings) assertValidSettings(resolved, `settings of endpoint "${spec.id}"`);
    this.nextIndex.set(server, index + 1);
    const entry = buildEndpoint(this.host.deps, context, spec, own, 'joining');
    group.endpoints = [...group.endpoints, entry];
    this.host.fleet.endpoints.set(entry.id, entry);
    this.host.changed();
    this.emit(entry, 'added', spec.url ?? spec.command?.join(' '));
    const why = await this.join(entry);
    if (why !== undefined) {
      throw new ChaosError('ENDPOINT_NOT_ADMITTED', `${entry.id}: not admitted: ${why}`, {
        details: { server, endpoint: entry.id },
      });
    }
    return entry.id;
  }

  /**
   * Admits a joining endpoint already in the fleet once it proves itself; undefined when it serves, else
   * why not (it has then left again). `announce`: emit its `added` first (endpoints built elsewhere).
   */
  async join(entry: EndpointEntry, announce = false): Promise<string | undefined> {
    const group = this.host.fleet.servers.get(entry.server);
    if (group === undefined) return 'its server is gone';
    if (announce) this.emit(entry, 'added', entry.spec.url ?? entry.spec.command?.join(' '));
    this.busy.add(entry.id);
    try {
      const why = await this.admission(entry, group.settings.fleet.admitTimeoutMs);
      if (why !== undefined) {
        await this.leave(entry, `not admitted: ${why}`);
        return why;
      }
      const slowStartMs = group.settings.fleet.slowStartMs;
      entry.fleet.admit(slowStartMs);
      this.emit(entry, 'admitted', slowStartMs > 0 ? `slow start over ${slowStartMs} ms` : undefined);
      return undefined;
    } finally {
      this.busy.delete(entry.id);
    }
  }

  /** Drains and removes an endpoint (see the file header). */
  async remove(id: string, options: RemoveOptions = {}): Promise<void> {
    this.assertOpen();
    const entry = this.host.fleet.endpoints.get(id);
    if (entry === undefined) throw new ChaosError('UNKNOWN_ENDPOINT', `unknown endpoint "${id}"`);
    if (this.busy.has(id)) throw new ChaosError('FLEET_BUSY', `${id} is being added or removed already`);
    const group = this.host.fleet.servers.get(entry.server);
    const drainMs = options.drainMs ?? group?.settings.fleet.drainMs ?? 0;
    if (!(drainMs >= 0 && Number.isFinite(drainMs)))
      throw new RangeError(`drainMs must be a finite number >= 0, got ${drainMs}`);
    this.busy.add(id);
    try {
      entry.fleet.drain();
      this.emit(entry, 'draining', `up to ${drainMs} ms for ${entry.inFlight} calls in flight`);
      const left = await this.drained(entry, drainMs);
      await this.leave(entry, left === 0 ? 'drained' : `drain deadline: ${left} calls still in flight`);
    } finally {
      this.busy.delete(id);
    }
  }

  /** Adds `config` to the endpoint's server and, once it serves, drains and removes `id`. */
  async replace(id: string, config: EndpointConfig, options: RemoveOptions = {}): Promise<string> {
    const old = this.host.fleet.endpoints.get(id);
    if (old === undefined) throw new ChaosError('UNKNOWN_ENDPOINT', `unknown endpoint "${id}"`);
    const added = await this.add(old.server, config);
    await this.remove(id, options);
    return added;
  }

  /** Connects and probes a joining endpoint; undefined once it may serve, else why not. */
  private async admission(entry: EndpointEntry, timeoutMs: number): Promise<string | undefined> {
    const ac = new AbortController();
    const timer = this.clock.setTimeout(() => ac.abort(), timeoutMs);
    try {
      try {
        await entry.connection.connect(ac.signal);
      } catch (e) {
        if (entry.healthChecker === undefined || ac.signal.aborted)
          return ac.signal.aborted
            ? `no connection within ${timeoutMs} ms`
            : String((e as Error).message ?? e);
      }
      const checker = entry.healthChecker;
      if (checker === undefined) return undefined;
      const probed = new Promise<string | undefined>((resolve) => {
        const sub = checker.onProbe((r) => {
          if (!r.ok) return;
          sub.dispose();
          resolve(undefined);
        });
        ac.signal.addEventListener('abort', () => {
          sub.dispose();
          resolve(`no good probe within ${timeoutMs} ms`);
        });
      });
      void checker.start();
      return await probed;
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  /** Waits until nothing is in flight or queued on `entry`, or `drainMs` passed; how many were left. */
  private drained(entry: EndpointEntry, drainMs: number): Promise<number> {
    const busy = () => entry.inFlight + entry.bulkhead.queued;
    const deadline = this.clock.now() + drainMs;
    return new Promise((resolve) => {
      const look = () => {
        const left = busy();
        if (left === 0 || this.clock.now() >= deadline || this.host.closing()) resolve(left);
        else this.clock.setTimeout(look, Math.min(DRAIN_POLL_MS, deadline - this.clock.now()));
      };
      look();
    });
  }

  /** Takes `entry` out of its server: probes stop, its parts are dropped, its connection closes. */
  private async leave(entry: EndpointEntry, why: string): Promise<void> {
    entry.fleet.remove();
    const group = this.host.fleet.servers.get(entry.server);
    if (group !== undefined) {
      group.endpoints = group.endpoints.filter((e) => e !== entry);
      this.host.fleet.contexts.get(entry.server)?.outlier.removeEndpoint(entry.id);
    }
    this.host.fleet.endpoints.delete(entry.id);
    this.host.changed();
    await entry.healthChecker?.close();
    entry.dispose();
    await entry.connection.close();
    this.emit(entry, 'removed', why);
  }

  private emit(entry: EndpointEntry, action: FleetAction, detail?: string): void {
    this.host.deps.metrics.fleetChanges.cell(entry.server, action).n++;
    if (!this.events.hasListeners) return;
    const e: ManagerEvent = {
      type: 'fleet',
      t: this.clock.now(),
      server: entry.server,
      endpoint: entry.id,
      action,
    };
    if (detail !== undefined) e.detail = detail;
    this.events.emit(e);
  }

  private assertOpen(): void {
    if (this.host.closing()) throw new ChaosError('MANAGER_CLOSED', 'the manager is closed');
  }
}

export type FleetAction = 'added' | 'admitted' | 'draining' | 'removed';
