/**
 * Tells the gateway's clients when the fleet's lists change: an upstream server's
 * `notifications/tools/list_changed` (the manager's `tools-changed` connection event), a reload, an
 * endpoint added or removed. Changes within 100 ms are sent as one notification: to every 2025 session
 * and to every 2026-07-28 `subscriptions/listen` stream.
 */
import type { Server } from '@modelcontextprotocol/server';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { Disposable } from '../core/events.js';
import type { McpManager } from '../manager/index.js';
import type { GatewayLog } from './gateway-log.js';

const COALESCE_MS = 100;

export interface ListChangeTargets {
  legacy: () => Server[];
  modern?: { toolsChanged(): void; promptsChanged(): void; resourcesChanged(): void };
}

export class ListChangeRelay {
  private readonly targets: ListChangeTargets[] = [];
  private timer: TimerHandle | undefined;
  private everything = false;
  private readonly subscription: Disposable;

  constructor(
    private readonly clock: Clock,
    manager: McpManager,
    private readonly log: GatewayLog,
  ) {
    this.subscription = manager.onEvent((e) => {
      if (e.type === 'connection' && e.kind === 'tools-changed') this.schedule(false);
      if (e.type === 'fleet') this.schedule(true);
    });
  }

  attach(targets: ListChangeTargets): void {
    this.targets.push(targets);
  }

  /** Everything may have changed (a reload). */
  changed(): void {
    this.schedule(true);
  }

  close(): void {
    this.subscription.dispose();
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(everything: boolean): void {
    this.everything ||= everything;
    this.timer ??= this.clock.setTimeout(() => this.flush(), COALESCE_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const everything = this.everything;
    this.everything = false;
    let told = 0;
    for (const t of this.targets) {
      for (const server of t.legacy()) {
        told++;
        void server.sendToolListChanged().catch(() => {});
        if (everything) {
          void server.sendPromptListChanged().catch(() => {});
          void server.sendResourceListChanged().catch(() => {});
        }
      }
      t.modern?.toolsChanged();
      if (everything) {
        t.modern?.promptsChanged();
        t.modern?.resourcesChanged();
      }
    }
    this.log.info({ sessions: told, everything }, 'told clients the lists changed');
  }
}
