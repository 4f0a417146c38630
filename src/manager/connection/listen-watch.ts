/**
 * The 2026-07-28 notification stream of one session: a `subscriptions/listen` for tool-list changes, opened
 * once the session is up when the server advertises `tools.listChanged`, and kept open:
 * - it ends (the server closed it, the connection broke, or it fell silent past `listenIdleMs` on HTTP —
 *   bounded-fetch.ts drops it then) → it is reopened after a backoff, which grows while streams keep dying
 *   young (under {@link STABLE_MS}) or failing to open, so a server that drops every stream at once is not
 *   hammered;
 * - a reopened stream is reported as a possible tool-list change (what was sent while it was down is
 *   lost: 2026-07-28 has no resumption);
 * - the session's end stops it (the close also cancels the stream on the wire).
 * The SDK (v2 `Client.listen`) does no re-listen of its own.
 */
import type { Client as ModernClient } from '@modelcontextprotocol/client';
import type { Clock, TimerHandle } from '../../core/clock.js';
import { type BackoffSettings, backoffDelay } from './backoff.js';

/**
 * Starts keeping the notification stream of a new 2026-07-28 session (both transports): reopens on the
 * connection's reconnect backoff, acknowledgement within its connect timeout.
 */
export function watchToolChanges(
  client: ModernClient,
  o: { clock: Clock; reconnectBackoff: BackoffSettings; connectTimeoutMs: number },
  toolsChanged: (detail: string) => void,
  track: (p: Promise<unknown>) => void,
): ListenWatch {
  const w = new ListenWatch(client, {
    clock: o.clock,
    backoff: o.reconnectBackoff,
    ackTimeoutMs: o.connectTimeoutMs,
    toolsChanged,
    track,
  });
  w.start();
  return w;
}

/** A stream that lived this long resets the reopen backoff. */
export const STABLE_MS = 5000;

export interface ListenHost {
  readonly clock: Clock;
  readonly backoff: BackoffSettings;
  /** Deadline for the server's acknowledgement of a new stream (ms). */
  readonly ackTimeoutMs: number;
  /** The tool list changed, or may have (`detail` says which). */
  toolsChanged(detail: string): void;
  /** Keeps background work so the connection's close can wait for it. */
  track(p: Promise<unknown>): void;
}

interface Subscription {
  close(): Promise<void>;
  closed: Promise<unknown>;
}

export class ListenWatch {
  private sub: Subscription | undefined;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private started = false;
  private opened = 0;
  private failures = 0;

  constructor(
    private readonly client: ModernClient,
    private readonly host: ListenHost,
  ) {}

  /** Opens the stream if the server offers tool-list changes (after connect). */
  start(): void {
    const tools = this.client.getServerCapabilities()?.tools as { listChanged?: boolean } | undefined;
    if (tools?.listChanged !== true) return;
    this.started = true;
    this.client.setNotificationHandler('notifications/tools/list_changed' as never, () => {
      if (!this.stopped) this.host.toolsChanged('notifications/tools/list_changed');
    });
    this.open();
  }

  /** Whether the server offers tool-list changes, so a stream is kept. */
  get watching(): boolean {
    return this.started && !this.stopped;
  }

  /** Streams opened so far (diagnostics and tests). */
  get opens(): number {
    return this.opened;
  }

  /** Whether a stream is open now. */
  get isOpen(): boolean {
    return this.sub !== undefined;
  }

  /** Stops watching and closes the stream. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.host.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const sub = this.sub;
    this.sub = undefined;
    await sub?.close().catch(() => {});
  }

  private open(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const p = this.client.listen({ toolsListChanged: true }, { timeout: this.host.ackTimeoutMs }).then(
      (sub) => this.onOpen(sub as Subscription),
      () => {
        this.failures++;
        this.reopenLater();
      },
    );
    this.host.track(p);
  }

  private onOpen(sub: Subscription): void {
    if (this.stopped) {
      this.host.track(sub.close().catch(() => {}));
      return;
    }
    this.sub = sub;
    this.opened++;
    const at = this.host.clock.now();
    // Changes sent while no stream was open are lost: the list may have changed unseen.
    if (this.opened > 1) this.host.toolsChanged('notification stream reopened; changes may have been missed');
    this.host.track(
      sub.closed.then(() => {
        if (this.sub !== sub || this.stopped) return;
        this.sub = undefined;
        if (this.host.clock.now() - at >= STABLE_MS) this.failures = 0;
        else this.failures++;
        this.reopenLater();
      }),
    );
  }

  private reopenLater(): void {
    if (this.stopped) return;
    const wait = backoffDelay(this.failures, this.host.backoff);
    this.timer = this.host.clock.setTimeout(() => this.open(), wait);
  }
}
