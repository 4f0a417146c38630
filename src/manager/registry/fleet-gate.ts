/**
 * Where one endpoint stands in a live fleet, as the call pipeline reads it (manager/fleet/live-fleet.ts moves it):
 * - `joining`: added, not yet proven — no calls until its first probe (or connect, without probes)
 *   succeeds;
 * - `serving`: takes calls; for `slowStartMs` after it began to serve, only a growing share of the picks
 *   that could go to it do (Envoy's slow start, linear): the share rises from {@link MIN_RAMP} to 1;
 * - `draining`: takes no new calls (not even in panic mode); the calls it has finish or reach the drain
 *   deadline, then it is removed;
 * - `removed`: gone.
 */
import type { Clock } from '../../core/clock.js';

export type FleetState = 'joining' | 'serving' | 'draining' | 'removed';

/** The share of picks a slow-starting endpoint takes right after it began to serve. */
export const MIN_RAMP = 0.1;

export class FleetGate {
  private current: FleetState;
  private rampStart = 0;
  private rampEnd: number | undefined;
  /** Picks earned (credit-based rather than random: the share is exact and replays). */
  private credit = 0;

  constructor(
    private readonly clock: Clock,
    initial: FleetState = 'serving',
  ) {
    this.current = initial;
  }

  get state(): FleetState {
    return this.current;
  }

  /** Whether the endpoint may take new calls at all. */
  get serving(): boolean {
    return this.current === 'serving';
  }

  /** Starts serving, ramping up over `slowStartMs` (0: at once). */
  admit(slowStartMs: number): void {
    if (this.current !== 'joining') return;
    this.current = 'serving';
    if (slowStartMs > 0) {
      this.rampStart = this.clock.now();
      this.rampEnd = this.rampStart + slowStartMs;
      this.credit = 0;
    }
  }

  drain(): void {
    if (this.current !== 'removed') this.current = 'draining';
  }

  remove(): void {
    this.current = 'removed';
  }

  /** The share of picks it takes now, in (0, 1]; 1 once the slow start is over. */
  get ramp(): number {
    const end = this.rampEnd;
    if (end === undefined) return 1;
    const now = this.clock.now();
    if (now >= end) {
      this.rampEnd = undefined;
      return 1;
    }
    return Math.max(MIN_RAMP, (now - this.rampStart) / (end - this.rampStart));
  }

  /** Whether this pick may go to it (always, once the slow start is over). */
  takesPick(): boolean {
    const r = this.ramp;
    if (r >= 1) return true;
    this.credit += r;
    if (this.credit < 1) return false;
    this.credit -= 1;
    return true;
  }
}
