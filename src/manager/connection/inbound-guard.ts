/**
 * What a server may make us do on its own: its requests (`ping`, …) and notifications, bounded so a flood
 * cannot stall the client. Measured before: ~70 k `ping` requests on the GET stream blocked the event loop
 * for 0.9 s, took RSS to 670 MB and made 7 of 9 calls miss a 1 s deadline, because every one was handed
 * to the SDK and answered with a POST of its own.
 * - **Server requests**: admitted at `requestsPerSec` (a token bucket, burst = one second's worth); at most
 *   `maxConcurrent` handled at once (from delivery until our answer has been sent or failed), `maxQueued`
 *   more wait; the rest are dropped unanswered (the server's own timeout ends them).
 * - **`…/list_changed` notifications** are coalesced per method: the first is delivered at once, later ones
 *   within `coalesceMs` become one delivery at the end of the window.
 * - **Other notifications**: admitted at `notificationsPerSec`, the rest dropped.
 * - Answers to our own requests always pass. Drops are counted and reported at most every `reportEveryMs`.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';

export interface InboundLimits {
  /** Server→client requests handled at once. */
  maxConcurrent: number;
  /** Server→client requests waiting for a slot. */
  maxQueued: number;
  /** Server→client requests admitted per second (burst: as many). */
  requestsPerSec: number;
  /** Notifications other than list_changed admitted per second (burst: as many). */
  notificationsPerSec: number;
  /** Window in which `…/list_changed` notifications of one method become one (ms). */
  coalesceMs: number;
  /** Drops are reported at most this often (ms). */
  reportEveryMs: number;
}

export const DEFAULT_INBOUND_LIMITS: Readonly<InboundLimits> = Object.freeze({
  maxConcurrent: 4,
  maxQueued: 16,
  requestsPerSec: 20,
  notificationsPerSec: 500,
  coalesceMs: 250,
  reportEveryMs: 1000,
});

/** What was held back since the last report. */
export interface InboundDrops {
  /** Server requests dropped unanswered (rate, or queue full). */
  requests: number;
  /** Notifications dropped (rate). */
  notifications: number;
  /** list_changed notifications folded into another. */
  coalesced: number;
}

type Message = { id?: unknown; method?: unknown };
type Id = string | number;

class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly clock: Clock,
    private readonly perSec: number,
  ) {
    this.tokens = perSec;
    this.at = clock.now();
  }

  take(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.perSec, this.tokens + ((now - this.at) * this.perSec) / 1000);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}

export class InboundGuard {
  private readonly requestRate: TokenBucket;
  private readonly notificationRate: TokenBucket;
  private readonly handling = new Set<Id>();
  private readonly queue: Array<{ id: Id; deliver: () => void }> = [];
  /** Open coalescing windows by method: the delivery held back for the window's end, if any. */
  private readonly windows = new Map<string, { timer: TimerHandle; held: (() => void) | undefined }>();
  private drops: InboundDrops = { requests: 0, notifications: 0, coalesced: 0 };
  private reportTimer: TimerHandle | undefined;
  private disposed = false;

  constructor(
    private readonly clock: Clock,
    private readonly limits: InboundLimits,
    private readonly onDrops: (drops: InboundDrops) => void,
  ) {
    this.requestRate = new TokenBucket(clock, limits.requestsPerSec);
    this.notificationRate = new TokenBucket(clock, limits.notificationsPerSec);
  }

  /** Server requests being handled now, and waiting (diagnostics and tests). */
  get load(): { handling: number; queued: number } {
    return { handling: this.handling.size, queued: this.queue.length };
  }

  /** Decides about one inbound message: `deliver()` runs now, later, or never. */
  receive(message: unknown, deliver: () => void): void {
    const m = message as Message;
    // an answer to one of our requests always passes
    if (typeof m.method !== 'string') deliver();
    else if (this.disposed) return;
    else if (isId(m.id)) this.request(m.id, deliver);
    else if (m.method.endsWith('/list_changed')) this.coalesce(m.method, deliver);
    else if (this.notificationRate.take()) deliver();
    else this.drop('notifications');
  }

  /** Our answer to server request `id` was sent (or failed): its slot is free. */
  answered(id: unknown): void {
    if (!isId(id) || !this.handling.delete(id)) return;
    const next = this.queue.shift();
    if (next && !this.disposed) this.start(next.id, next.deliver);
  }

  /** Drops what is queued and held, clears timers, reports what was not reported yet. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.queue.length = 0;
    for (const w of this.windows.values()) this.clock.clearTimeout(w.timer);
    this.windows.clear();
    this.clock.clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
    this.report();
  }

  private request(id: Id, deliver: () => void): void {
    if (!this.requestRate.take()) this.drop('requests');
    else if (this.handling.size < this.limits.maxConcurrent) this.start(id, deliver);
    else if (this.queue.length < this.limits.maxQueued) this.queue.push({ id, deliver });
    else this.drop('requests');
  }

  private start(id: Id, deliver: () => void): void {
    this.handling.add(id);
    deliver();
  }

  private coalesce(method: string, deliver: () => void): void {
    const open = this.windows.get(method);
    if (open) {
      if (open.held) this.drop('coalesced');
      open.held = deliver;
      return;
    }
    deliver();
    this.openWindow(method);
  }

  private openWindow(method: string): void {
    const w = { timer: undefined as unknown as TimerHandle, held: undefined as (() => void) | undefined };
    w.timer = this.clock.setTimeout(() => {
      this.windows.delete(method);
      const held = w.held;
      if (held && !this.disposed) {
        held();
        this.openWindow(method);
      }
    }, this.limits.coalesceMs);
    this.windows.set(method, w);
  }

  private drop(kind: keyof InboundDrops): void {
    this.drops[kind]++;
    if (this.reportTimer !== undefined || this.disposed) return;
    this.reportTimer = this.clock.setTimeout(() => {
      this.reportTimer = undefined;
      this.report();
    }, this.limits.reportEveryMs);
  }

  private report(): void {
    const d = this.drops;
    if (d.requests + d.notifications + d.coalesced === 0) return;
    this.drops = { requests: 0, notifications: 0, coalesced: 0 };
    try {
      this.onDrops(d);
    } catch {
      // a listener's failure must not break the connection
    }
  }
}

function isId(id: unknown): id is Id {
  return typeof id === 'number' || typeof id === 'string';
}
