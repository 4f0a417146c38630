/**
 * Replica slots: `weather[0]` names a place in the fleet, whatever replica fills it. A deploy replaces the
 * replica in a slot by a new generation (`weather[0]#1`, `weather[0]#2`, …) and a scale out adds slots;
 * faults that target a slot hit the replica filling it when they start. Every endpoint id ever used is
 * kept with its server, for the history.
 */
import type { PlannedEndpoint, PlannedServer } from '../scenario/index.js';

export interface Slot {
  /** `weather[0]`. */
  id: string;
  server: string;
  replica: number;
  /** The endpoint filling it now (undefined: removed by a scale in). */
  current: string | undefined;
  /** The version `current` runs. */
  version: PlannedEndpoint | undefined;
  /** Generations started so far (0 = the original replica). */
  generation: number;
}

export class FleetSlots {
  private readonly slots = new Map<string, Slot>();
  /** Every endpoint id ever in the fleet → its server. */
  private readonly servers = new Map<string, string>();
  /** Endpoints taken out of the fleet (their proxies and processes are gone). */
  private readonly retired = new Set<string>();

  constructor(servers: readonly PlannedServer[]) {
    for (const s of servers) {
      for (const e of s.endpoints) {
        this.slots.set(e.id, {
          id: e.id,
          server: s.name,
          replica: e.replica,
          current: e.id,
          version: e,
          generation: 0,
        });
        this.servers.set(e.id, s.name);
      }
    }
  }

  get(slot: string): Slot | undefined {
    return this.slots.get(slot);
  }

  /** The endpoint filling `slot` now, or undefined when the slot is empty or unknown. */
  current(slot: string): string | undefined {
    return this.slots.get(slot)?.current;
  }

  /** A server's filled slots, by replica index. */
  filled(server: string): Slot[] {
    return [...this.slots.values()]
      .filter((s) => s.server === server && s.current !== undefined)
      .sort((a, b) => a.replica - b.replica);
  }

  /** The slot `slot` (created empty when new, e.g. by a scale out). */
  ensure(slot: string, server: string, replica: number): Slot {
    let s = this.slots.get(slot);
    if (!s) {
      s = { id: slot, server, replica, current: undefined, version: undefined, generation: -1 };
      this.slots.set(slot, s);
    }
    return s;
  }

  /** The id of the next generation of `slot` (the slot's own id for its first). */
  nextId(slot: Slot): string {
    slot.generation++;
    return slot.generation === 0 ? slot.id : `${slot.id}#${slot.generation}`;
  }

  /** `endpoint` (of version `version`) now fills `slot`. */
  fill(slot: Slot, endpoint: string, version: PlannedEndpoint): void {
    slot.current = endpoint;
    slot.version = version;
    this.servers.set(endpoint, slot.server);
  }

  /** `endpoint` was started but never filled a slot (e.g. not admitted): known to the history only. */
  known(endpoint: string, server: string): void {
    this.servers.set(endpoint, server);
  }

  /** The slot lost its replica (a scale in). */
  vacate(slot: Slot): void {
    slot.current = undefined;
    slot.version = undefined;
  }

  retire(endpoint: string): void {
    this.retired.add(endpoint);
  }

  isRetired(endpoint: string): boolean {
    return this.retired.has(endpoint);
  }

  /** endpoint id → server, for every endpoint the run had. */
  endpoints(): Record<string, string> {
    return Object.fromEntries(this.servers);
  }
}
