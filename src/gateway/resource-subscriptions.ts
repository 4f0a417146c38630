/**
 * Resource subscriptions across the gateway's clients: one upstream subscription per (server, URI) however
 * many clients hold it, and every `notifications/resources/updated` the upstream sends delivered to each
 * of them under the URI they subscribed to.
 *
 * - a 2025 client subscribes with `resources/subscribe` on its session (and leaves with
 *   `resources/unsubscribe`, or when its session closes);
 * - a 2026-07-28 client names the URIs in its `subscriptions/listen` filter (`resourceSubscriptions`),
 *   held for as long as that stream is open; the SDK's listen router then sends each update to the streams
 *   whose filter names it.
 *
 * The first holder subscribes upstream (its error, e.g. a server without `subscribe`, is the client's);
 * the last one leaving unsubscribes (best effort). The upstream subscription lives on the session of the
 * endpoint that took it: when that session is lost (the server restarted) updates stop until a client
 * subscribes again — documented. Updates from 2026-07-28 upstreams are not relayed (their listen streams
 * are the manager's own, for tool changes).
 */
import type { FleetNotification, McpManager } from '../manager/index.js';
import type { GatewayLog } from './gateway-log.js';

/** Who holds subscriptions: a 2025 session (sends on it) or a 2026-07-28 listen stream. */
export interface SubscriptionHolder {
  /** Sends one update to this holder; undefined for listen streams (one broadcast serves them all). */
  send?: (clientUri: string) => void;
  /** (server, URI) key → the URI this holder named it by (updates reach it under that name). */
  readonly keys: Map<string, string>;
}

interface Entry {
  server: string;
  uri: string;
  holders: Set<SubscriptionHolder>;
  /** The upstream subscribe, while it is on its way. */
  ready: Promise<void>;
}

export interface SubscriptionDeps {
  manager: McpManager;
  /** The server and its own URI behind a client's (resource-router.ts). */
  resolve: (clientUri: string) => Promise<{ server: string; uri: string }>;
  /** A server's URI as clients see it. */
  toClient: (server: string, uri: string) => string;
  log: GatewayLog;
}

/** Most URIs one 2026-07-28 listen stream may hold (more are ignored, with a warning). */
export const MAX_LISTEN_URIS = 100;

export class ResourceSubscriptions {
  private readonly entries = new Map<string, Entry>();
  private broadcast: ((clientUri: string) => void) | undefined;
  private readonly listener;

  constructor(private readonly d: SubscriptionDeps) {
    this.listener = d.manager.onServerNotification((n) => this.deliver(n));
  }

  /** Where updates for 2026-07-28 listen streams go (the modern handler's `notify.resourceUpdated`). */
  attachBroadcast(send: (clientUri: string) => void): void {
    this.broadcast = send;
  }

  /** A new holder (a 2025 session passes how to send to it). */
  holder(send?: (clientUri: string) => void): SubscriptionHolder {
    return { ...(send ? { send } : {}), keys: new Map() };
  }

  /** `holder` subscribes to `clientUri`; the first holder of it subscribes upstream (its error thrown). */
  async subscribe(holder: SubscriptionHolder, clientUri: string): Promise<void> {
    const { server, uri } = await this.d.resolve(clientUri);
    const key = `${server}\u0000${uri}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      const created: Entry = { server, uri, holders: new Set(), ready: Promise.resolve() };
      created.ready = this.d.manager
        .request(server, 'resources/subscribe', { uri })
        .then(() => undefined)
        .catch((e: unknown) => {
          if (this.entries.get(key) === created) this.entries.delete(key);
          throw e;
        });
      this.entries.set(key, created);
      entry = created;
    }
    entry.holders.add(holder);
    holder.keys.set(key, clientUri);
    try {
      await entry.ready;
    } catch (e) {
      entry.holders.delete(holder);
      holder.keys.delete(key);
      throw e;
    }
  }

  /** `holder` leaves `clientUri`; the last one leaving unsubscribes upstream. */
  async unsubscribe(holder: SubscriptionHolder, clientUri: string): Promise<void> {
    const { server, uri } = await this.d.resolve(clientUri);
    this.leave(holder, `${server}\u0000${uri}`);
  }

  /** `holder` is gone (its session closed, its listen stream ended): it leaves everything it held. */
  release(holder: SubscriptionHolder): void {
    for (const key of [...holder.keys.keys()]) this.leave(holder, key);
  }

  /** A 2026-07-28 listen stream holding `clientUris` (resolved and subscribed in the background). */
  holdListen(clientUris: readonly unknown[]): SubscriptionHolder {
    const h = this.holder();
    const uris = clientUris.filter((u): u is string => typeof u === 'string');
    if (uris.length > MAX_LISTEN_URIS)
      this.d.log.warn(
        { uris: uris.length, max: MAX_LISTEN_URIS },
        'listen stream names too many resources: the rest are ignored',
      );
    for (const uri of uris.slice(0, MAX_LISTEN_URIS)) {
      this.subscribe(h, uri).catch((e: unknown) =>
        this.d.log.debug(
          { uri, err: e instanceof Error ? e.message : String(e) },
          'listen subscription refused upstream',
        ),
      );
    }
    return h;
  }

  /** How many (server, URI) pairs are subscribed upstream now. */
  get size(): number {
    return this.entries.size;
  }

  close(): void {
    this.listener.dispose();
    this.entries.clear();
  }

  private leave(holder: SubscriptionHolder, key: string): void {
    holder.keys.delete(key);
    const entry = this.entries.get(key);
    if (entry === undefined || !entry.holders.delete(holder) || entry.holders.size > 0) return;
    this.entries.delete(key);
    void entry.ready
      .then(() => this.d.manager.request(entry.server, 'resources/unsubscribe', { uri: entry.uri }))
      .catch(() => {
        // best effort: the server may be gone, or never took the subscription
      });
  }

  private deliver(n: FleetNotification): void {
    if (n.method !== 'notifications/resources/updated') return;
    const uri = n.params?.uri;
    if (typeof uri !== 'string') return;
    const key = `${n.server}\u0000${uri}`;
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    // each holder hears it under the name it subscribed by; listen streams by one broadcast per name
    const broadcasts = new Set<string>();
    for (const h of entry.holders) {
      const name = h.keys.get(key) ?? this.d.toClient(n.server, uri);
      if (h.send) h.send(name);
      else broadcasts.add(name);
    }
    for (const name of broadcasts) this.broadcast?.(name);
  }
}
