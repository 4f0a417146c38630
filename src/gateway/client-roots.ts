/**
 * The roots the gateway tells its 2025 upstreams. A client's roots are its own, but an upstream session is
 * shared by every client of the gateway, so an upstream asking outside a call (`roots/list` after
 * `initialized`, or after `roots/list_changed`) gets the latest list any client gave — a decided
 * approximation (docs/gateway.md). During a call the upstream asks that call's client itself (relayed, or
 * through `input_required` for a 2026-07-28 client), and that answer becomes the latest too.
 *
 * A 2025 client that declares `roots` is asked for them when its session is initialized and whenever it
 * sends `notifications/roots/list_changed`; a list that differs from the latest is kept (at most
 * {@link MAX_ROOTS} entries) and every upstream is sent `notifications/roots/list_changed`, so it asks again.
 */
import type { Server } from '@modelcontextprotocol/server';
import type { Clock } from '../core/clock.js';
import type { McpManager } from '../manager/index.js';
import type { GatewayLog } from './gateway-log.js';

/** Most roots kept from one client's list. */
export const MAX_ROOTS = 1000;
/** Waits before asking a client for its roots (the first after `initialized`) and again after a failed ask (ms). */
export const ASK_AGAIN_MS = [100, 500, 2000];
/** How long one ask waits for the client's answer (ms). */
export const ASK_TIMEOUT_MS = 2000;

export class ClientRoots {
  private latest: Record<string, unknown> | undefined;
  private latestJson = '';
  private closed = false;

  constructor(
    private readonly manager: () => McpManager | undefined,
    private readonly log: GatewayLog,
    private readonly clock: Clock,
  ) {}

  /** What an upstream asking outside a call gets. */
  current(): Record<string, unknown> {
    return this.latest ?? { roots: [] };
  }

  /** A client's answer to `roots/list`: kept when new, and the upstreams told. */
  update(result: unknown): void {
    const roots = (result as { roots?: unknown } | undefined)?.roots;
    if (!Array.isArray(roots)) return;
    const kept = { roots: roots.slice(0, MAX_ROOTS) };
    const json = JSON.stringify(kept);
    if (json === this.latestJson) return;
    this.latest = kept;
    this.latestJson = json;
    this.log.debug({ roots: kept.roots.length }, 'client roots changed: upstreams told');
    void this.manager()?.notifyServers('notifications/roots/list_changed');
  }

  /**
   * Asks a 2025 session's client for its roots once initialized and whenever it says they changed. Right
   * after `initialized` the client may not have opened the stream a request to it travels on yet: the first
   * ask waits a moment, one unanswered within {@link ASK_TIMEOUT_MS} is tried again after
   * {@link ASK_AGAIN_MS} (each), then left (the client's next change asks again).
   */
  watch(server: Server): void {
    const ask = (attempt = 0) => {
      if (server.getClientCapabilities()?.roots === undefined || this.closed) return;
      server.listRoots(undefined, { timeout: ASK_TIMEOUT_MS }).then(
        (r) => this.update(r),
        () => {
          const wait = ASK_AGAIN_MS[attempt];
          if (wait !== undefined && !this.closed) this.clock.setTimeout(() => ask(attempt + 1), wait);
        },
      );
    };
    const initialized = server.oninitialized;
    server.oninitialized = () => {
      initialized?.();
      // not from inside the initialized notification: the client opens its stream for our requests after it
      this.clock.setTimeout(() => ask(), ASK_AGAIN_MS[0] as number);
    };
    server.setNotificationHandler('notifications/roots/list_changed', () => ask());
  }

  close(): void {
    this.closed = true;
  }
}
