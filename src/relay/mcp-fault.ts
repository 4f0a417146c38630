/**
 * An MCP-aware fault, as the relays apply it: which requests it hits (`match`: JSON-RPC method and, for
 * `tools/call`, the tool; a seeded `share` of them) and exactly one action — answer in the server's place
 * (`status`, `error`, `sessionExpired`, `versionSkew`) or forward the request and spoil the answer (`delay`,
 * `hang`, `cutAfter`, `truncate`, `corrupt`).
 */

/** The actions, in the scenario contract's order (the one list: the scenario schema takes it from here). */
export const MCP_FAULT_ACTIONS = [
  'status',
  'error',
  'delay',
  'hang',
  'cutAfter',
  'truncate',
  'corrupt',
  'sessionExpired',
  'versionSkew',
] as const;

export type McpActionKind = (typeof MCP_FAULT_ACTIONS)[number];

export type McpAction =
  | { kind: 'status'; status: number; retryAfterMs?: number }
  | { kind: 'error'; code: number; message: string }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  | { kind: 'cutAfter'; events: number }
  | { kind: 'truncate'; share: number }
  | { kind: 'corrupt' }
  | { kind: 'sessionExpired' }
  | { kind: 'versionSkew' };

export interface McpMatch {
  /** JSON-RPC method, e.g. `tools/call`. */
  method?: string;
  /** Tool name (tools/call only). */
  tool?: string;
}

export interface McpFault {
  action: McpAction;
  /** Which requests (omitted: every request). */
  match?: McpMatch;
  /** Share of matching requests hit, in [0, 1] (default 1). */
  share?: number;
  /** Seed of the share draws (default 1). */
  seed?: number;
}

/** Checks a fault; RangeError quoting the bad value. */
export function validateMcpFault(f: McpFault): void {
  const a = f.action;
  if (f.share !== undefined && !(f.share >= 0 && f.share <= 1))
    throw new RangeError(`share must be in [0, 1], got ${JSON.stringify(f.share)}`);
  switch (a.kind) {
    case 'status':
      if (!Number.isInteger(a.status) || a.status < 400 || a.status > 599)
        throw new RangeError(`status must be an integer in [400, 599], got ${JSON.stringify(a.status)}`);
      if (a.retryAfterMs !== undefined) {
        if (a.status !== 429 && a.status !== 503)
          throw new RangeError(`retryAfter goes with status 429 or 503, got status ${a.status}`);
        if (!(a.retryAfterMs >= 0) || !Number.isFinite(a.retryAfterMs))
          throw new RangeError(`retryAfterMs must be a number >= 0, got ${JSON.stringify(a.retryAfterMs)}`);
      }
      return;
    case 'error':
      if (!Number.isInteger(a.code)) throw new RangeError(`error code must be an integer, got ${a.code}`);
      return;
    case 'delay':
      if (!(a.ms >= 0) || !Number.isFinite(a.ms))
        throw new RangeError(`delay must be a duration >= 0, got ${JSON.stringify(a.ms)}`);
      return;
    case 'cutAfter':
      if (!Number.isInteger(a.events) || a.events < 0)
        throw new RangeError(`cutAfter must be an integer >= 0, got ${JSON.stringify(a.events)}`);
      return;
    case 'truncate':
      if (!(a.share > 0 && a.share < 1))
        throw new RangeError(`truncate must be in (0, 1), got ${JSON.stringify(a.share)}`);
      return;
    default:
      return;
  }
}

/** One line for logs and reports: `status 503 (Retry-After 1s)`, `cutAfter 1`, … */
export function describeMcpAction(a: McpAction): string {
  switch (a.kind) {
    case 'status':
      return `status ${a.status}${a.retryAfterMs !== undefined ? ` (Retry-After ${Math.ceil(a.retryAfterMs / 1000)}s)` : ''}`;
    case 'error':
      return `error ${a.code}`;
    case 'delay':
      return `delay ${a.ms}ms`;
    case 'cutAfter':
      return `cutAfter ${a.events}`;
    case 'truncate':
      return `truncate ${a.share}`;
    default:
      return a.kind;
  }
}
