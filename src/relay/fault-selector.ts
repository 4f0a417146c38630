/**
 * The fault in force on one relay and which requests it hits: requests only (notifications and answers
 * pass), those the match names, and of those a share drawn from the fault's seed, so a run replays.
 * `sessionExpired` hits only requests that carry a session (there is nothing to expire otherwise).
 */
import { SeededRng } from '../core/rng.js';
import { type McpAction, type McpFault, validateMcpFault } from './mcp-fault.js';
import type { RequestInfo } from './request-info.js';

export class FaultSelector {
  private fault: McpFault | undefined;
  private rng = new SeededRng(1);
  /** Requests the fault hit so far. */
  hits = 0;

  /** Switches a fault on (validated; RangeError) or off (undefined). */
  set(fault: McpFault | undefined): void {
    if (fault !== undefined) validateMcpFault(fault);
    this.fault = fault === undefined ? undefined : { ...fault };
    this.rng = new SeededRng(fault?.seed ?? 1);
  }

  get active(): McpFault | undefined {
    return this.fault;
  }

  /** The action to apply to this request, or undefined to pass it untouched. */
  pick(info: RequestInfo): McpAction | undefined {
    const f = this.fault;
    if (f === undefined || !info.isRequest) return undefined;
    if (f.match?.method !== undefined && f.match.method !== info.method) return undefined;
    if (f.match?.tool !== undefined && (info.method !== 'tools/call' || info.tool !== f.match.tool))
      return undefined;
    if (f.action.kind === 'sessionExpired' && info.sessionId === undefined) return undefined;
    if (f.share !== undefined && f.share < 1 && !this.rng.chance(f.share)) return undefined;
    this.hits++;
    return f.action;
  }
}
