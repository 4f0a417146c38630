/**
 * Plays a fault timeline: at each fault's `startT` (ms after load start) it injects the fault on every
 * target endpoint, at `endT` it removes it. Removal times at or after the end of load are left to
 * rollback. Every inject/remove is recorded as a {@link FaultEvent} with the clock time it happened.
 * Actions run in the background; a failing action is recorded as an error, never thrown into a timer.
 */

import type { Clock, TimerHandle } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import type { FaultEvent, FaultKind } from '../history.js';
import type { DeployPlan, DeploySpec, McpFaultSpec } from '../scenario/index.js';
import type { ToxicSpec } from './toxiproxy-control.js';

export type ProcessAction = 'kill' | 'restart' | 'pause';

/** A fault ready to play (times in ms relative to load start, already scaled). */
export interface FaultStep {
  name: string;
  /** Endpoint ids, e.g. `weather[0]`. */
  endpoints: string[];
  startT: number;
  /** When it is removed; ≥ the load duration means "left in place until rollback". */
  endT: number;
  kind: FaultKind;
  toxic?: ToxicSpec;
  process?: ProcessAction;
  mcp?: McpFaultSpec;
  deploy?: { plan: DeployPlan; spec: DeploySpec };
  /** The planned detail (scenario/timeline.ts actionDetail); derived from the action when absent. */
  detail?: string;
}

/** What the timeline drives; implemented by the runner over Toxiproxy and its processes. */
export interface FaultActuator {
  inject(step: FaultStep, endpoint: string): Promise<void>;
  remove(step: FaultStep, endpoint: string): Promise<void>;
}

/** Detail string recorded for a step: the toxic type, `down`, or the process action. */
export function faultDetail(step: FaultStep): string {
  if (step.detail !== undefined) return step.detail;
  if (step.kind === 'mcp') return 'mcp';
  if (step.kind === 'toxic') return step.toxic?.type ?? 'toxic';
  if (step.kind === 'down') return 'down';
  return step.process ?? 'process';
}

/** Deploys and replica slots (deploy-runner.ts, fleet-slots.ts), when the run has them. */
export interface TimelineFleet {
  /** Plays a deploy; restores it (after its `for`); stops starting batches. */
  run(step: FaultStep): Promise<void>;
  restore(step: FaultStep): Promise<void>;
  stop(): Promise<void>;
  /** The endpoint filling a slot now (undefined: none). */
  current(slot: string): string | undefined;
  /** Whether an endpoint has left the fleet (its proxy and process are gone). */
  isRetired(endpoint: string): boolean;
}

export class FaultTimeline {
  private timers: TimerHandle[] = [];
  private pending = new Set<Promise<void>>();
  /** Per endpoint: the last action queued, so actions on one endpoint never overlap. */
  private readonly chains = new Map<string, Promise<void>>();
  /** `fault|endpoint` keys currently injected (the endpoint that filled the slot at inject time). */
  private readonly active = new Map<string, { step: FaultStep; endpoint: string }>();
  /** `fault|slot` → the endpoint the fault went to. */
  private readonly actualOf = new Map<string, string>();
  readonly errors: string[] = [];
  private stopped = false;

  constructor(
    private readonly steps: FaultStep[],
    private readonly actuator: FaultActuator,
    private readonly clock: Clock,
    private readonly record: (e: FaultEvent) => void,
    private readonly fleet?: TimelineFleet,
  ) {}

  /** Schedules every step relative to now (= load start). Removals at ≥ `loadDurationMs` are not scheduled. */
  start(loadDurationMs: number): void {
    for (const step of this.steps) {
      this.timers.push(this.clock.setTimeout(() => this.fire(step, 'inject'), step.startT));
      if (step.endT < loadDurationMs) {
        this.timers.push(this.clock.setTimeout(() => this.fire(step, 'remove'), step.endT));
      }
    }
  }

  /** Cancels timers not yet fired and waits for actions under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.fleet?.stop();
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers = [];
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** The endpoints a fault went to (a slot's replica at inject time; the slot itself if never injected). */
  endpointsOf(step: Pick<FaultStep, 'name' | 'endpoints'>): string[] {
    return step.endpoints.map((e) => this.actualOf.get(`${step.name}|${e}`) ?? e);
  }

  /** Faults injected and not removed, for rollback. */
  stillActive(): Array<{ step: FaultStep; endpoint: string }> {
    return [...this.active.values()];
  }

  /** Removes one still-active fault (used by rollback); records it as a rollback. Throws on failure. */
  async rollback(step: FaultStep, endpoint: string): Promise<void> {
    if (!this.fleet?.isRetired(endpoint)) await this.actuator.remove(step, endpoint);
    this.active.delete(`${step.name}|${endpoint}`);
    this.emit(step, endpoint, 'rollback');
  }

  private fire(step: FaultStep, what: 'inject' | 'remove'): void {
    if (step.kind === 'deploy') {
      const fleet = this.fleet;
      if (!fleet) this.errors.push(`fault ${step.name}: deploys need the run's fleet`);
      else if (what === 'inject' && !this.stopped) this.track(fleet.run(step));
      else if (what === 'remove') this.track(fleet.restore(step));
      return;
    }
    for (const slot of step.endpoints) {
      const prev = this.chains.get(slot) ?? Promise.resolve();
      const p = prev.then(async () => {
        let endpoint = this.actualOf.get(`${step.name}|${slot}`) ?? slot;
        try {
          if (what === 'inject') {
            if (this.stopped) return;
            const now = this.fleet ? this.fleet.current(slot) : slot;
            if (now === undefined) throw new Error(`${slot} has no replica now (removed, or not added yet)`);
            endpoint = now;
            this.actualOf.set(`${step.name}|${slot}`, endpoint);
            const key = `${step.name}|${endpoint}`;
            if (this.active.has(key)) return;
            // Marked before acting, so a failed half-done injection is still rolled back.
            this.active.set(key, { step, endpoint });
            this.emit(step, endpoint, 'inject');
            await this.actuator.inject(step, endpoint);
          } else {
            const key = `${step.name}|${endpoint}`;
            if (!this.active.has(key)) return;
            // a replica a deploy took out has no proxy or process left to undo anything on
            if (!this.fleet?.isRetired(endpoint)) await this.actuator.remove(step, endpoint);
            this.active.delete(key);
            this.emit(step, endpoint, 'rollback');
          }
        } catch (e) {
          this.errors.push(`fault ${step.name} ${what} on ${endpoint}: ${errorMessage(e)}`);
        }
      });
      this.chains.set(slot, p);
      this.track(p);
    }
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private emit(step: FaultStep, endpoint: string, action: 'inject' | 'rollback'): void {
    this.record({
      type: 'fault',
      t: this.clock.now(),
      fault: step.name,
      endpoint,
      action,
      kind: step.kind,
      detail: faultDetail(step),
    });
  }
}
