/**
 * MCP-aware HTTP faults of a mock server, switched on and off at runtime (the chaos runner's `mcp:` faults
 * on mock targets): matching JSON-RPC requests are answered with an HTTP status — 503 or 429 with
 * `Retry-After` for back-pressure — instead of reaching the MCP server. Which matching requests are hit is
 * drawn from the fault's seed (`share`), so a run replays.
 */
import type { ServerResponse } from 'node:http';
import { SeededRng } from '../core/rng.js';

export interface MockHttpFault {
  /** The HTTP status answered (400–599). */
  status: number;
  /** `Retry-After` sent with it, in ms (rounded up to whole seconds on the wire); 429/503 only. */
  retryAfterMs?: number;
  /** Which requests: JSON-RPC `method` and, for tools/call, the tool `name` (omitted: every request). */
  match?: { method?: string; tool?: string };
  /** Share of matching requests hit, in [0, 1] (default 1). */
  share?: number;
  /** Seed of the share draws (default 1). */
  seed?: number;
}

/** Checks a fault; RangeError quoting the bad value. */
export function validateHttpFault(f: MockHttpFault): void {
  if (!Number.isInteger(f.status) || f.status < 400 || f.status > 599)
    throw new RangeError(`status must be an integer in [400, 599], got ${JSON.stringify(f.status)}`);
  if (f.retryAfterMs !== undefined) {
    if (f.status !== 429 && f.status !== 503)
      throw new RangeError(`retryAfter goes with status 429 or 503, got status ${f.status}`);
    if (!(f.retryAfterMs >= 0) || !Number.isFinite(f.retryAfterMs))
      throw new RangeError(`retryAfterMs must be a number >= 0, got ${JSON.stringify(f.retryAfterMs)}`);
  }
  if (f.share !== undefined && !(f.share >= 0 && f.share <= 1))
    throw new RangeError(`share must be in [0, 1], got ${JSON.stringify(f.share)}`);
}

/** The fault in force on one mock server, and how many requests it answered. */
export class HttpFaults {
  private fault: MockHttpFault | undefined;
  private rng = new SeededRng(1);
  /** Requests answered by a fault so far. */
  hits = 0;

  /** Switches a fault on (validated) or off (undefined). */
  set(fault: MockHttpFault | undefined): void {
    if (fault !== undefined) validateHttpFault(fault);
    this.fault = fault === undefined ? undefined : { ...fault };
    this.rng = new SeededRng(fault?.seed ?? 1);
  }

  /** Answers `res` with the fault when it applies to the request `body`; true when it did. */
  apply(body: unknown, res: ServerResponse): boolean {
    const f = this.fault;
    if (f === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) return false;
    const msg = body as { method?: unknown; id?: unknown; params?: { name?: unknown } };
    if (typeof msg.method !== 'string' || msg.id === undefined) return false; // notifications, answers
    if (f.match?.method !== undefined && f.match.method !== msg.method) return false;
    if (f.match?.tool !== undefined && (msg.method !== 'tools/call' || msg.params?.name !== f.match.tool))
      return false;
    if (f.share !== undefined && f.share < 1 && !this.rng.chance(f.share)) return false;
    this.hits++;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (f.retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(f.retryAfterMs / 1000));
    res.writeHead(f.status, headers);
    res.end(
      JSON.stringify({
        jsonrpc: '2.0',
        id: msg.id,
        error: { code: -32000, message: `HTTP ${f.status} (mcp-chaos fault)` },
      }),
    );
    return true;
  }
}
