/**
 * What a relay saw: every `tools/call` request that reached it, with the load's logical call id, when, and
 * what became of it — forwarded to the server (an execution, as far as anything outside the server can
 * tell), or answered by a fault in the server's place (`faulted`: the action; never executed). Bounded
 * like the mocks' execution logs: past `max` entries only a count is kept.
 */
import { MAX_EXECUTIONS } from '../core/execution-meta.js';
import type { McpActionKind } from './mcp-fault.js';

export interface RelayRecord {
  tool: string;
  call?: string;
  /** Clock time the request reached the relay (ms). */
  t: number;
  /** Answered by this fault action instead of reaching the server. */
  faulted?: McpActionKind;
}

export class RelayLog {
  private readonly entries: RelayRecord[] = [];
  private over = 0;

  record(r: RelayRecord): void {
    if (this.entries.length < MAX_EXECUTIONS) this.entries.push(r);
    else this.over++;
  }

  snapshot(): { records: RelayRecord[]; dropped: number } {
    return { records: [...this.entries], dropped: this.over };
  }
}
