import type { RateBreakerSettings } from '../types.js';
import type { OutcomeWindow } from './outcome-window.js';
import type { TripPolicy } from './trip-policy.js';

/**
 * Failure-rate (and optional slow-call-rate) policy over a sliding window, like resilience4j:
 * once the window holds ≥ minCalls calls, it opens when failures ÷ calls ≥ failureRate or
 * slow ÷ calls ≥ slowCall.rate (both `≥`; opossum uses `>`). A call is slow when latencyMs > overMs,
 * whether it failed or not. Rates are judged after each recorded outcome, computed as a division
 * (not `failures ≥ rate × calls`, which differs in floating point).
 */
export class RateTripPolicy implements TripPolicy {
  private readonly minCalls: number;
  private readonly failureRate: number;
  private readonly slowOverMs: number;
  private readonly slowRate: number;

  constructor(
    private readonly window: OutcomeWindow,
    settings: Pick<RateBreakerSettings, 'minCalls' | 'failureRate' | 'slowCall'>,
  ) {
    if (!Number.isInteger(settings.minCalls) || settings.minCalls < 1) {
      throw new RangeError(`minCalls must be an integer >= 1, got ${settings.minCalls}`);
    }
    if (!(settings.failureRate > 0 && settings.failureRate <= 1)) {
      throw new RangeError(`failureRate must be in (0, 1], got ${settings.failureRate}`);
    }
    this.minCalls = settings.minCalls;
    this.failureRate = settings.failureRate;
    this.slowOverMs = settings.slowCall?.overMs ?? Number.POSITIVE_INFINITY;
    this.slowRate = settings.slowCall?.rate ?? Number.POSITIVE_INFINITY;
  }

  record(failed: boolean, latencyMs: number): string | undefined {
    const w = this.window;
    w.add(failed, latencyMs > this.slowOverMs);
    const calls = w.calls;
    if (calls < this.minCalls) return undefined;
    const failures = w.failures;
    if (failures / calls >= this.failureRate) {
      return `failure rate ${failures}/${calls} >= ${this.failureRate}`;
    }
    const slow = w.slow;
    if (slow / calls >= this.slowRate) {
      return `slow-call rate ${slow}/${calls} (> ${this.slowOverMs} ms) >= ${this.slowRate}`;
    }
    return undefined;
  }

  reset(): void {
    this.window.clear();
  }
}
