/**
 * The direct request path, one of the two a connection can take (the other is the scoped path in
 * base-connection.ts). On a live session the SDK request is sent at once with the deadline as the SDK's own
 * `timeout` (one timer, which rejects with McpError −32001 at the deadline and sends
 * `notifications/cancelled`) and, only when the caller gave a signal, a per-request signal linked to it:
 * no scope, no AbortController, no timer of ours. A dead child rejects it at once (the SDK fails every
 * pending request on transport close), and so does close() (the transport closes the protocol first).
 *
 * It is chosen by the `requestPath: 'direct'` connection option (the default for stdio without an injected
 * clock). Since the SDK's timer keeps the deadline, an injected clock must drive the client's timers too.
 */
import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { type CallToolResult, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Clock } from '../../core/clock.js';
import type { ChaosError } from '../../core/errors.js';
import type { FailureDetails } from './classify-error.js';
import type { CallToolOptions, RequestTimeoutOptions } from './endpoint-connection.js';
import type { FailureContext } from './normalize-failure.js';
import { ScopeEnd, SignalLink } from './request-scope.js';
import type { SessionRpc } from './session-rpc.js';

/** Largest delay a Node timer takes (longer ones fire at once). */
const MAX_TIMER_MS = 2_147_483_647;

/** What the direct path needs of its connection. */
export interface DirectHost<S extends { readonly rpc: SessionRpc }> {
  readonly id: string;
  readonly clock: Clock;
  /** A request on `session` succeeded (resets failure counts, may mark the connection ready). */
  succeeded(session: S): void;
  /** Classifies a failure the way the scoped path does (a connection failure marks the connection broken). */
  failed(e: unknown, ctx: FailureContext, details: FailureDetails): ChaosError;
}

export class DirectRequests<S extends { readonly rpc: SessionRpc }> {
  constructor(private readonly host: DirectHost<S>) {}

  /**
   * Whether a request with these options may go direct: bad deadlines and already-cancelled calls take the
   * scoped path, which answers them with its own errors.
   */
  accepts(options: RequestTimeoutOptions): boolean {
    const t = options?.timeoutMs;
    return typeof t === 'number' && t > 0 && t <= MAX_TIMER_MS && options.signal?.aborted !== true;
  }

  async callTool(
    session: S,
    name: string,
    args: Record<string, unknown> | undefined,
    options: CallToolOptions,
  ): Promise<CallToolResult> {
    const t0 = this.host.clock.now();
    const link = options.signal === undefined ? undefined : new SignalLink(options.signal);
    try {
      const result = await session.rpc.callTool(
        name,
        args,
        link === undefined
          ? { timeout: options.timeoutMs }
          : { timeout: options.timeoutMs, signal: link.signal },
        options,
      );
      this.host.succeeded(session);
      return result as CallToolResult;
    } catch (e) {
      throw this.failure(e, 'tools/call', t0, options);
    } finally {
      link?.dispose();
    }
  }

  async ping(session: S, options: RequestTimeoutOptions): Promise<void> {
    const t0 = this.host.clock.now();
    const link = options.signal === undefined ? undefined : new SignalLink(options.signal);
    try {
      await session.rpc.probe(
        link === undefined
          ? { timeout: options.timeoutMs }
          : { timeout: options.timeoutMs, signal: link.signal },
      );
      this.host.succeeded(session);
    } catch (e) {
      throw this.failure(e, 'ping', t0, options);
    } finally {
      link?.dispose();
    }
  }

  /** Classifies a failure like the scoped path does: cancelled, deadline, else the cause. */
  private failure(e: unknown, op: string, t0: number, options: RequestTimeoutOptions): ChaosError {
    const end = options.signal?.aborted
      ? new ScopeEnd('cancelled', 'cancelled by the caller')
      : isSdkTimeout(e, options.timeoutMs)
        ? new ScopeEnd('timeout', `deadline of ${options.timeoutMs} ms passed`)
        : undefined;
    const elapsedMs = this.host.clock.now() - t0;
    const ctx: FailureContext = {
      ended: end,
      failure: undefined,
      timeoutMs: options.timeoutMs,
      elapsedMs: () => elapsedMs,
    };
    return this.host.failed(e, ctx, { endpoint: this.host.id, op });
  }
}

/** Whether `e` is the SDK's own request timer firing for a request sent with `timeout: timeoutMs`. */
export function isSdkTimeout(e: unknown, timeoutMs: number): boolean {
  if (e instanceof SdkError && e.code === SdkErrorCode.RequestTimeout) {
    const data = (e as { data?: { timeout?: unknown } }).data;
    return data?.timeout === undefined || data.timeout === timeoutMs;
  }
  if (!(e instanceof McpError) || e.code !== ErrorCode.RequestTimeout) return false;
  const data = e.data as { timeout?: unknown } | undefined;
  return data?.timeout === timeoutMs;
}
