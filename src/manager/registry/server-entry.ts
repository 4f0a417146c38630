import type { Disposable } from '../../core/events.js';
import type { Balancer } from '../balancers/index.js';
import type { CallGroup } from '../call/index.js';
import type { OutlierDetector } from '../ejection/index.js';
import type { HedgePolicy } from '../hedge/index.js';
import type { ServerMetrics } from '../metrics/index.js';
import type { RetryBudget } from '../retry/index.js';
import type { FailureClass, ResilienceSettings } from '../types.js';
import type { EndpointEntry } from './endpoint-entry.js';
import type { ToolInfo } from './managed-connection.js';

/** Everything the manager keeps for one logical server; also the call pipeline's {@link CallGroup}. */
export class ServerEntry implements CallGroup {
  /** Counted failure classes (from `settings`). */
  counted: ReadonlySet<FailureClass>;
  /** Server-level subscriptions and timers (outlier detection), dropped when it leaves or on close. */
  readonly disposables: Disposable[] = [];
  /** tools/list catalogue, filled on first listTools() and dropped on list_changed. */
  tools: ToolInfo[] | undefined;
  toolsPending: Promise<ToolInfo[]> | undefined;
  /** Bumped on every list_changed, so a listing that raced with one is not cached. */
  toolsVersion = 0;

  constructor(
    readonly name: string,
    public tags: readonly string[],
    /** The server's settings; a reload may swap them with the parts built from them (fleet/reload.ts). */
    public settings: ResilienceSettings,
    /** The endpoints now (replaced, never mutated, when the fleet changes: a pick keeps its array). */
    public endpoints: readonly EndpointEntry[],
    public balancer: Balancer,
    public outlier: OutlierDetector,
    public retryBudget: RetryBudget,
    public hedge: HedgePolicy | undefined,
    readonly metrics: ServerMetrics,
  ) {
    this.counted = new Set(settings.breaker.countedFailures);
  }

  /** The tool list changed, or may have: drops the catalogue and any listing in flight. */
  toolsChanged(): void {
    this.tools = undefined;
    this.toolsPending = undefined;
    this.toolsVersion++;
  }
}
