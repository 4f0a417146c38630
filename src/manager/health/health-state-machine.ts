import type { Clock } from '../../core/clock.js';
import { type Disposable, Emitter } from '../../core/events.js';
import type { HealthSettings, HealthState } from '../types.js';
import type { HealthTransition } from './health-transition.js';

export interface HealthStateMachineDeps {
  /** Only read for event times. */
  clock: Clock;
  endpoint: string;
}

/**
 * Envoy-style health state of one endpoint, fed with probe results (pure: no timers).
 *
 * - unknown → healthy on the first success; unknown → unhealthy after `unhealthyAfter` consecutive failures.
 * - healthy → unhealthy after `unhealthyAfter` consecutive failures (a success resets the run).
 * - unhealthy → healthy after `healthyAfter` consecutive successes (a failure resets the run).
 * - `hold()` forces unhealthy until `release()` (a crash-looping child): successes meanwhile do not count.
 */
export class HealthStateMachine implements Disposable {
  readonly endpoint: string;
  private readonly clock: Clock;
  private readonly emitter = new Emitter<HealthTransition>();
  private current: HealthState = 'unknown';
  private failures = 0;
  private successes = 0;
  private held = false;

  readonly onTransition = this.emitter.event;

  constructor(
    private readonly settings: Pick<HealthSettings, 'unhealthyAfter' | 'healthyAfter'>,
    deps: HealthStateMachineDeps,
  ) {
    for (const k of ['unhealthyAfter', 'healthyAfter'] as const) {
      const v = settings[k];
      if (!Number.isInteger(v) || v < 1)
        throw new RangeError(`health ${k} must be an integer >= 1, got ${v}`);
    }
    this.endpoint = deps.endpoint;
    this.clock = deps.clock;
  }

  get state(): HealthState {
    return this.current;
  }

  /** Consecutive failures (while not unhealthy) or successes (while unhealthy) towards the next change. */
  get streak(): number {
    return this.current === 'unhealthy' ? this.successes : this.failures;
  }

  /** Records one probe result; `detail` (e.g. the error) goes into the transition reason. */
  record(ok: boolean, detail?: string): void {
    if (this.held) return;
    if (ok) {
      this.failures = 0;
      this.successes++;
      if (this.current === 'unknown') this.transition('healthy', suffix('first probe succeeded', detail));
      else if (this.current === 'unhealthy' && this.successes >= this.settings.healthyAfter) {
        this.transition('healthy', suffix(`${this.successes} consecutive probe successes`, detail));
      }
    } else {
      this.successes = 0;
      this.failures++;
      if (this.current !== 'unhealthy' && this.failures >= this.settings.unhealthyAfter) {
        this.transition('unhealthy', suffix(`${this.failures} consecutive probe failures`, detail));
      }
    }
  }

  /** Whether a hold keeps the state unhealthy. */
  get holding(): boolean {
    return this.held;
  }

  /** Forces `unhealthy` until {@link release} (no-op while held). */
  hold(reason: string): void {
    if (this.held) return;
    this.held = true;
    if (this.current !== 'unhealthy') this.transition('unhealthy', reason);
    else this.successes = 0;
  }

  /**
   * Ends a hold. The state stays unhealthy until `healthyAfter` probe successes — or, with `to`, turns `to`
   * at once (an endpoint nobody probes has nothing else to bring it back).
   */
  release(reason: string, to?: HealthState): void {
    if (!this.held) return;
    this.held = false;
    this.successes = 0;
    this.failures = 0;
    if (to !== undefined && to !== this.current) this.transition(to, reason);
  }

  dispose(): void {
    this.emitter.clear();
  }

  private transition(to: HealthState, reason: string): void {
    const from = this.current;
    this.current = to;
    this.failures = 0;
    this.successes = 0;
    this.emitter.emit({ endpoint: this.endpoint, from, to, reason, t: this.clock.now() });
  }
}

function suffix(text: string, detail: string | undefined): string {
  return detail ? `${text} (last: ${detail})` : text;
}
