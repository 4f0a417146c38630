/**
 * A 2025 server's requests to its client (`sampling/createMessage`, `elicitation/create`) and its log
 * messages (`notifications/message`), handed to the caller of a tool call in flight on that endpoint —
 * what a gateway needs to pass them through to its own client. Which call they belong to is not on the
 * wire the client sees (the SDK reads every response stream into one message handler), so they go to the
 * oldest call in flight that asked for them: exact with one call at a time, a documented approximation
 * with several. Without such a call, a request is refused (-32601) and a notification dropped.
 */
import type { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  McpError,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { ServerMessage, ServerNotificationListener, ServerRequestHandler } from '../types.js';

export interface RelayTarget {
  onServerRequest?: ServerRequestHandler | undefined;
  onNotification?: ServerNotificationListener | undefined;
}

/** What a 2025 session declares when its caller can answer the server's requests (a gateway). */
export const RELAYED_CAPABILITIES = Object.freeze({
  sampling: {},
  elicitation: {},
  roots: { listChanged: true },
});

/** A server's `roots/list` when no call is in flight to ask: the latest list known (ManagerOptions.legacyRoots). */
export type RootsSource = () => Record<string, unknown>;

/**
 * Routes a legacy client's `notifications/resources/updated` — which belong to no call — to `listener`
 * (a gateway delivers them to the clients that subscribed). A listener's failure never breaks the session.
 */
export function installResourceUpdates(
  client: LegacyClient,
  listener: ServerNotificationListener | undefined,
): void {
  if (listener === undefined) return;
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
    try {
      listener(n as ServerMessage);
    } catch {
      // a listener's failure must not break the session
    }
  });
}

export class ServerRequestRelay {
  private readonly active: RelayTarget[] = [];

  /** Keeps `target` reachable while `p` runs (nothing when it wants nothing). */
  track<T>(target: RelayTarget, p: Promise<T>): Promise<T> {
    if (target.onServerRequest === undefined && target.onNotification === undefined) return p;
    this.active.push(target);
    const drop = () => {
      const i = this.active.indexOf(target);
      if (i >= 0) this.active.splice(i, 1);
    };
    p.then(drop, drop);
    return p;
  }

  /**
   * Routes a legacy client's server requests and log messages here: a request only for a capability the
   * client declared (the SDK refuses a handler for one it did not), log messages always.
   */
  install(
    client: LegacyClient,
    endpoint: string,
    capabilities: Record<string, unknown>,
    roots?: RootsSource,
  ): void {
    const request = async (message: ServerMessage, signal: AbortSignal) => {
      const target = this.active.find((t) => t.onServerRequest !== undefined);
      if (target?.onServerRequest === undefined)
        throw new McpError(-32601, `${endpoint}: ${message.method}: no call in flight to ask`);
      return target.onServerRequest(message, signal);
    };
    const handled = [
      ['sampling', CreateMessageRequestSchema],
      ['elicitation', ElicitRequestSchema],
    ] as const;
    for (const [capability, schema] of handled) {
      if (capabilities[capability] === undefined) continue;
      client.setRequestHandler(
        schema as typeof CreateMessageRequestSchema,
        (r, extra) => request(r as ServerMessage, extra.signal) as never,
      );
    }
    // roots: the client of a call in flight is asked; with none, the latest list known (else none)
    if (capabilities.roots !== undefined)
      client.setRequestHandler(ListRootsRequestSchema, (async (
        r: ServerMessage,
        extra: { signal: AbortSignal },
      ) => {
        if (this.active.some((t) => t.onServerRequest !== undefined)) return request(r, extra.signal);
        return roots?.() ?? { roots: [] };
      }) as never);
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      const target = this.active.find((t) => t.onNotification !== undefined);
      try {
        target?.onNotification?.(n as ServerMessage);
      } catch {
        // a listener's failure must not break the session
      }
    });
  }
}
