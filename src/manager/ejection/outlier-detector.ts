import type { Clock, TimerHandle } from '../../core/clock.js';
import { type Disposable, Emitter } from '../../core/events.js';
import type { EjectionSettings } from '../types.js';
import type { EjectionEvent } from './ejection-event.js';

export interface OutlierDetectorDeps {
  clock: Clock;
  /** Ids of the server's endpoints at the start (a live fleet adds and removes them). */
  endpoints: readonly string[];
}

interface HostState {
  readonly id: string;
  consecutive: number;
  /** Ejection multiplier: ejections so far, minus decay. */
  timesEjected: number;
  ejected: boolean;
  untilT: number;
  /** When it last returned (for the multiplier decay); -Infinity = never ejected. */
  returnedT: number;
  timer: TimerHandle | undefined;
}

/**
 * Passive outlier ejection over one server's endpoints (Envoy's consecutive-failures detector).
 *
 * - `consecutiveFailures` live failures in a row eject an endpoint (a success resets the run; 0 disables
 *   ejection). It stays out for baseTimeMs × times-ejected, capped at maxTimeMs; a timer brings it back,
 *   or {@link noteHealthy} (a successful active health check) does so earlier.
 * - The multiplier decays: for each full baseTimeMs an endpoint spends back in service, times-ejected drops
 *   by one (Envoy decrements it per detection interval while the host is healthy).
 * - At most max(1, floor(n × maxPercent / 100)) endpoints are ejected at once (Envoy's rule: one can always
 *   be ejected, even with maxPercent 0). An endpoint over the threshold while the limit is reached stays in
 *   service, keeps its failure run and is ejected by its next failure once a slot is free.
 * - Results reported for an ejected endpoint (late calls) are ignored.
 */
export class OutlierDetector implements Disposable {
  private readonly clock: Clock;
  private readonly hosts = new Map<string, HostState>();
  private readonly emitter = new Emitter<EjectionEvent>();
  private ejectedNow = 0;

  readonly onEjection = this.emitter.event;

  constructor(
    private readonly settings: EjectionSettings,
    deps: OutlierDetectorDeps,
  ) {
    const { consecutiveFailures: cf, baseTimeMs, maxTimeMs, maxPercent } = settings;
    if (!Number.isInteger(cf) || cf < 0)
      throw new RangeError(`ejection consecutiveFailures must be an integer >= 0, got ${cf}`);
    if (!(baseTimeMs > 0)) throw new RangeError(`ejection baseTimeMs must be > 0, got ${baseTimeMs}`);
    if (!(maxTimeMs >= baseTimeMs))
      throw new RangeError(`ejection maxTimeMs must be >= baseTimeMs, got ${maxTimeMs}`);
    if (!(maxPercent >= 0 && maxPercent <= 100))
      throw new RangeError(`ejection maxPercent must be in [0, 100], got ${maxPercent}`);
    this.clock = deps.clock;
    for (const id of deps.endpoints) this.addEndpoint(id);
  }

  /** Most endpoints ejected at once (of the endpoints there are now). */
  get maxEjected(): number {
    return Math.max(1, Math.floor((this.hosts.size * this.settings.maxPercent) / 100));
  }

  /** A new endpoint of the server (live fleet): starts with a clean record. No-op if known. */
  addEndpoint(id: string): void {
    if (this.hosts.has(id)) return;
    this.hosts.set(id, {
      id,
      consecutive: 0,
      timesEjected: 0,
      ejected: false,
      untilT: 0,
      returnedT: Number.NEGATIVE_INFINITY,
      timer: undefined,
    });
  }

  /** An endpoint that left the server: forgotten (an ejection it had ends without an event). */
  removeEndpoint(id: string): void {
    const h = this.hosts.get(id);
    if (h === undefined) return;
    this.clock.clearTimeout(h.timer);
    if (h.ejected) this.ejectedNow--;
    this.hosts.delete(id);
  }

  /** Endpoints ejected now. */
  get ejectedCount(): number {
    return this.ejectedNow;
  }

  isEjected(endpoint: string): boolean {
    return this.hosts.get(endpoint)?.ejected === true;
  }

  /** When `endpoint` is ejected: the time it returns; otherwise undefined. */
  ejectedUntil(endpoint: string): number | undefined {
    const h = this.hosts.get(endpoint);
    return h?.ejected ? h.untilT : undefined;
  }

  /** A live call on `endpoint` succeeded: resets its failure run. */
  recordSuccess(endpoint: string): void {
    const h = this.hosts.get(endpoint); // a late result of a removed endpoint is ignored
    if (h !== undefined && !h.ejected) h.consecutive = 0;
  }

  /** A live call on `endpoint` failed (a class that counts for ejection — the caller decides which). */
  recordFailure(endpoint: string): void {
    const h = this.hosts.get(endpoint);
    if (h === undefined || h.ejected || this.settings.consecutiveFailures === 0) return;
    h.consecutive++;
    if (h.consecutive >= this.settings.consecutiveFailures && this.ejectedNow < this.maxEjected)
      this.eject(h);
  }

  /** A successful active health check: brings an ejected endpoint back at once. */
  noteHealthy(endpoint: string): void {
    const h = this.hosts.get(endpoint);
    if (h?.ejected) this.unEject(h, 'active health check succeeded');
  }

  /** Clears every timer and listener (ejected endpoints stay ejected). Idempotent. */
  dispose(): void {
    for (const h of this.hosts.values()) {
      this.clock.clearTimeout(h.timer);
      h.timer = undefined;
    }
    this.emitter.clear();
  }

  private eject(h: HostState): void {
    const { baseTimeMs, maxTimeMs } = this.settings;
    const t = this.clock.now();
    const decay = Math.floor((t - h.returnedT) / baseTimeMs);
    h.timesEjected = Math.max(0, h.timesEjected - decay) + 1;
    const durationMs = Math.min(baseTimeMs * h.timesEjected, maxTimeMs);
    const failures = h.consecutive;
    h.ejected = true;
    h.consecutive = 0;
    h.untilT = t + durationMs;
    this.ejectedNow++;
    h.timer = this.clock.setTimeout(() => {
      h.timer = undefined;
      if (h.ejected) this.unEject(h, 'ejection time elapsed');
    }, durationMs);
    this.emitter.emit({
      endpoint: h.id,
      ejected: true,
      untilT: h.untilT,
      reason: `${failures} consecutive failures (ejection #${h.timesEjected}, ${durationMs} ms)`,
      t,
    });
  }

  private unEject(h: HostState, reason: string): void {
    this.clock.clearTimeout(h.timer);
    h.timer = undefined;
    h.ejected = false;
    h.consecutive = 0;
    const t = this.clock.now();
    h.returnedT = t;
    this.ejectedNow--;
    this.emitter.emit({ endpoint: h.id, ejected: false, reason, t });
  }
}
