/**
 * Plays `deploy:` faults through the manager's live-fleet API, one deploy per server at a time:
 * - the slots to change are taken in batches of `maxUnavailable`: removals (scale in) first, then
 *   replacements, then additions (scale out). A replacement starts the new version as the slot's next
 *   generation, adds it to the manager (which admits it after a good probe and ramps it up), then drains
 *   and removes the old replica (the manager waits for its calls in flight up to `drain`) and stops it;
 * - after each batch the deploy pauses `every`, watching the batch's new replicas: one whose breaker
 *   opens, that is ejected or marked unhealthy — or one never admitted — halts the deploy, and the
 *   batch is reverted to the version before (traffic stays on the old version);
 * - complete once the last batch has served through its pause.
 * Restoring a deploy (after its `for`, or at rollback) brings every slot it changed back to the version
 * it had before, the same way. Each step is a `deploy` event; the fault's window (fault events) runs from
 * the start until it completes or halts — or, with `for`, until it is restored.
 */
import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import type { EndpointConfig } from '../../manager/index.js';
import type { DeployAction, DeployEvent, FaultEvent } from '../history.js';
import { DEPLOY_CUT_BY_LOAD_END } from '../invariants/index.js';
import { endpointId, type PlannedEndpoint } from '../scenario/index.js';
import type { FaultStep, TimelineFleet } from './fault-timeline.js';
import type { FleetSlots, Slot } from './fleet-slots.js';
import type { RunLogEntry } from './run-options.js';
import type { Target } from './targets.js';

/** How often a batch's new replicas are looked at during the pause (ms). */
const WATCH_POLL_MS = 20;

/** The manager's side of a deploy. */
export interface FleetControl {
  /** Resolves once the endpoint serves; rejects when it is not admitted. */
  add(server: string, config: EndpointConfig): Promise<string>;
  /** Drains and removes. */
  remove(id: string, drainMs: number | undefined): Promise<void>;
  /** Why the endpoint looks broken now (breaker open, ejected, unhealthy), else undefined. */
  trouble(id: string): string | undefined;
}

/** The runner's side: starting and stopping replicas. */
export interface ReplicaHost {
  startReplica(version: PlannedEndpoint, id: string, slot: string): Promise<Target>;
  retire(id: string): Promise<void>;
  endpointConfig(id: string): EndpointConfig;
}

export interface DeployDeps {
  clock: Clock;
  slots: FleetSlots;
  host: ReplicaHost;
  control: FleetControl;
  record(e: DeployEvent | FaultEvent): void;
  log(e: RunLogEntry): void;
  /** The load's duration: a deploy whose `for` ends at or past it is restored only at rollback. */
  durationMs: number;
}

/** One change to a slot: to `version` (undefined: empty the slot). */
interface Op {
  slot: Slot;
  version: PlannedEndpoint | undefined;
}

/** What one deploy changed: each slot's version before it (undefined: the deploy added the slot). */
interface Applied {
  step: FaultStep;
  before: Map<Slot, PlannedEndpoint | undefined>;
  /** The fault window is still open (closed at completion or halt, or, with `for`, at restore). */
  windowOpen: boolean;
  restored: boolean;
}

/** The deploy halted (its `halted` event already recorded) and the batch was reverted, or not all. */
class Halted extends Error {
  constructor(readonly problem: string | undefined) {
    super(problem ?? 'halted');
  }
}

/**
 * The version a pure scale out adds in replica slot `r`: the server's current one (an earlier deploy's, if
 * one upgraded it), placed at `r` — not the version the scenario started with. An existing server's url has
 * its `{replica}` filled at planning, so it takes the planned one.
 */
function scaledVersion(
  current: PlannedEndpoint | undefined,
  plan: NonNullable<FaultStep['deploy']>['plan'],
  r: number,
): PlannedEndpoint | undefined {
  if (current === undefined || current.kind === 'existing') return plan.versions[r];
  return { ...current, id: endpointId(plan.server, r), replica: r };
}

export class DeployRunner implements TimelineFleet {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly applied: Applied[] = [];
  private stopping = false;

  constructor(private readonly d: DeployDeps) {}

  /** Plays a deploy (queued behind any other deploy of its server). Never throws. */
  run(step: FaultStep): Promise<void> {
    return this.chain(step, () => this.play(step));
  }

  /** Brings the fleet back to the version before `step` (after its `for`). Never throws. */
  restore(step: FaultStep, pause = true): Promise<void> {
    const a = this.applied.find((x) => x.step === step);
    if (!a) return Promise.resolve();
    return this.chain(step, () => this.undo(a, pause));
  }

  /** Restores every deploy not yet restored, latest first (rollback). Rejects if a slot could not be. */
  async restoreAll(): Promise<void> {
    this.stopping = false;
    const failures: string[] = [];
    for (const a of [...this.applied].reverse()) {
      if (a.restored) continue;
      if (a.before.size === 0) {
        a.restored = true; // halted and reverted whole, or it changed nothing: nothing to bring back
        continue;
      }
      await this.chain(a.step, () => this.undo(a, false));
      if (!a.restored) failures.push(a.step.name);
    }
    if (failures.length > 0) throw new Error(`fleet not restored after deploy ${failures.join(', ')}`);
  }

  current(slot: string): string | undefined {
    return this.d.slots.current(slot);
  }

  isRetired(endpoint: string): boolean {
    return this.d.slots.isRetired(endpoint);
  }

  /** Whether some deploy left the fleet changed. */
  get pendingRestore(): boolean {
    return this.applied.some((a) => !a.restored && a.before.size > 0);
  }

  /** No new batches (a batch under way finishes); then waits for deploys under way. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.chains.values()]);
  }

  private chain(step: FaultStep, fn: () => Promise<void>): Promise<void> {
    const server = step.deploy?.plan.server ?? '';
    const p = (this.chains.get(server) ?? Promise.resolve()).then(fn).catch((e) => {
      this.d.log({ level: 'error', msg: `deploy ${step.name}: ${errorMessage(e)}` });
    });
    this.chains.set(server, p);
    return p;
  }

  private async play(step: FaultStep): Promise<void> {
    const plan = step.deploy?.plan;
    if (!plan) return;
    const a: Applied = { step, before: new Map(), windowOpen: true, restored: false };
    this.applied.push(a);
    const { slots } = this.d;
    this.emit(step, 'start', { detail: step.detail ?? 'deploy' });
    for (const e of step.endpoints) this.window(step, e, 'inject');
    const filled = slots.filled(plan.server);
    const ops: Op[] = [];
    const want = plan.replicas ?? filled.length;
    for (const s of filled.slice(want)) ops.push({ slot: s, version: undefined });
    if (plan.changes) {
      for (const id of step.endpoints) {
        const s = slots.get(id);
        if (s?.current !== undefined && s.replica < want)
          ops.push({ slot: s, version: plan.versions[s.replica] });
      }
    }
    for (let r = filled.length; r < want; r++) {
      const s = slots.ensure(endpointId(plan.server, r), plan.server, r);
      ops.push({
        slot: s,
        version: plan.changes ? plan.versions[r] : scaledVersion(filled[0]?.version, plan, r),
      });
    }
    const batch = step.deploy?.spec.maxUnavailable ?? 1;
    try {
      for (let i = 0; i < ops.length; i += batch) {
        if (this.stopping) throw new Error(DEPLOY_CUT_BY_LOAD_END);
        const part = ops.slice(i, i + batch);
        for (const op of part) if (!a.before.has(op.slot)) a.before.set(op.slot, op.slot.version);
        await this.batch(step, part, a, step.deploy?.spec.everyMs ?? 0);
      }
      this.emit(step, 'complete', { detail: `${ops.length} replica change(s)` });
    } catch (e) {
      if (!(e instanceof Halted)) this.emit(step, 'halted', { detail: errorMessage(e) });
      else if (e.problem) this.d.log({ level: 'error', msg: `deploy ${step.name}: ${e.problem}` });
    }
    // without `for` (or past the end of load) the deploy's window ends here; else when it is restored
    if (step.endT >= this.d.durationMs) this.closeWindow(a);
  }

  /** Applies `ops` side by side, then watches for `pauseMs`; on trouble reverts them and throws Halt. */
  private async batch(step: FaultStep, ops: Op[], a: Applied, pauseMs: number): Promise<void> {
    const before = new Map(ops.map((o) => [o.slot, o.slot.version]));
    const results = await Promise.allSettled(ops.map((o) => this.change(step, o)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    let trouble = failed ? errorMessage(failed.reason) : undefined;
    if (trouble === undefined) {
      const fresh = ops.filter((o) => o.version !== undefined).map((o) => o.slot);
      trouble = await this.watch(fresh, pauseMs);
    }
    if (trouble === undefined) return;
    this.emit(step, 'halted', { detail: trouble });
    // revert what this batch changed (slots whose change failed are as they were)
    const back = ops
      .filter((o) => o.slot.version !== before.get(o.slot))
      .map((o) => ({ slot: o.slot, version: before.get(o.slot) }));
    const reverted = await Promise.allSettled(back.map((o) => this.change(step, o)));
    const stuck = reverted.filter((r) => r.status === 'rejected').length;
    // a slot back at (or never moved from) its version before the batch has nothing left to restore
    for (const o of ops) if (o.slot.version === before.get(o.slot)) a.before.delete(o.slot);
    throw new Halted(stuck > 0 ? `${stuck} replica(s) could not be reverted` : undefined);
  }

  /** Moves one slot to `op.version`. Rejects (the slot left as it was) when the new replica fails. */
  private async change(step: FaultStep, op: Op): Promise<void> {
    const { slots, host, control } = this.d;
    const slot = op.slot;
    const old = slot.current;
    const drainMs = step.deploy?.spec.drainMs;
    if (op.version === undefined) {
      if (old === undefined) return;
      await control.remove(old, drainMs);
      slots.vacate(slot);
      slots.retire(old);
      await host.retire(old);
      this.emit(step, 'removed', { slot: slot.id, endpoint: old });
      return;
    }
    const id = slots.nextId(slot);
    slots.known(id, slot.server);
    try {
      await host.startReplica(op.version, id, slot.id);
      await control.add(slot.server, host.endpointConfig(id));
    } catch (e) {
      slots.retire(id);
      await host.retire(id).catch(() => {});
      this.emit(step, 'not-admitted', { slot: slot.id, endpoint: id, detail: errorMessage(e) });
      throw new Error(`${id} not admitted: ${errorMessage(e)}`);
    }
    slots.fill(slot, id, op.version);
    this.emit(step, old === undefined ? 'added' : 'ready', { slot: slot.id, endpoint: id });
    if (old === undefined) return;
    await control.remove(old, drainMs);
    slots.retire(old);
    await host.retire(old);
    this.emit(step, 'replaced', { slot: slot.id, endpoint: id, previous: old });
  }

  /** Watches `slots`' replicas for `ms`: the first trouble seen, else undefined. */
  private async watch(slots: Slot[], ms: number): Promise<string | undefined> {
    const { clock, control } = this.d;
    const end = clock.now() + ms;
    for (;;) {
      for (const s of slots) {
        const why = s.current === undefined ? undefined : control.trouble(s.current);
        if (why !== undefined) return `${s.current}: ${why}`;
      }
      const left = end - clock.now();
      if (left <= 0 || this.stopping) return undefined;
      await clock.sleep(Math.min(WATCH_POLL_MS, left));
    }
  }

  private async undo(a: Applied, pause: boolean): Promise<void> {
    const step = a.step;
    const ops: Op[] = [...a.before].map(([slot, version]) => ({ slot, version }));
    this.emit(step, 'restoring', { detail: `${ops.length} replica(s)` });
    const size = step.deploy?.spec.maxUnavailable ?? 1;
    try {
      for (let i = 0; i < ops.length; i += size) {
        const part = ops.slice(i, i + size).filter((o) => o.slot.version !== o.version);
        const results = await Promise.allSettled(part.map((o) => this.change(step, o)));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
        if (pause && i + size < ops.length) await this.d.clock.sleep(step.deploy?.spec.everyMs ?? 0);
      }
      a.restored = true;
      this.emit(step, 'restored');
    } catch (e) {
      this.emit(step, 'halted', { detail: `restore: ${errorMessage(e)}` });
    }
    this.closeWindow(a);
  }

  private closeWindow(a: Applied): void {
    if (!a.windowOpen) return;
    a.windowOpen = false;
    for (const e of a.step.endpoints) this.window(a.step, e, 'rollback');
  }

  private window(step: FaultStep, endpoint: string, action: 'inject' | 'rollback'): void {
    this.d.record({
      type: 'fault',
      t: this.d.clock.now(),
      fault: step.name,
      endpoint,
      action,
      kind: 'deploy',
      detail: step.detail ?? 'deploy',
    });
  }

  private emit(
    step: FaultStep,
    action: DeployAction,
    x: { slot?: string; endpoint?: string; previous?: string; detail?: string } = {},
  ): void {
    const e: DeployEvent = {
      type: 'deploy',
      t: this.d.clock.now(),
      fault: step.name,
      server: step.deploy?.plan.server ?? '',
      action,
      ...x,
    };
    this.d.record(e);
    this.d.log({
      level: action === 'halted' || action === 'not-admitted' ? 'warn' : 'info',
      msg: `deploy ${step.name}: ${action}`,
      fields: { ...x },
    });
  }
}
