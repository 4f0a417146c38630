/**
 * Any request other than a tool call (`resources/read`, `prompts/get`, `completion/complete`, lists, …),
 * sent to one of a server's endpoints: eligible ones first (healthy, breaker closed, not ejected), then
 * the rest, each within what is left of the deadline. A server's JSON-RPC error answer ends it at once
 * (another replica would answer the same); a failure to get an answer moves on to the next endpoint.
 * These are reads or idempotent settings, so trying another replica is safe. Not a tool call: no call
 * events, no breaker accounting (as the tool catalogue).
 */
import type { Clock } from '../../core/clock.js';
import { ChaosError, errorMessage } from '../../core/errors.js';
import { isEligible } from '../call/index.js';
import { rpcErrorOf } from '../connection/index.js';
import type { ProgressListener } from '../types.js';
import type { ServerEntry } from './server-entry.js';

export interface ForwardRequestOptions {
  /** Deadline of the whole request, ms. */
  timeoutMs: number;
  /** Caller's cancellation. */
  signal?: AbortSignal;
  /** Receives the server's progress notifications. */
  onProgress?: ProgressListener;
}

export async function forwardRequest(
  clock: Clock,
  group: ServerEntry,
  method: string,
  params: Record<string, unknown> | undefined,
  options: ForwardRequestOptions,
): Promise<Record<string, unknown>> {
  const deadline = clock.now() + options.timeoutMs;
  const ordered = [...group.endpoints]
    .filter((e) => e.fleet.serving)
    .sort((a, b) => Number(isEligible(b)) - Number(isEligible(a)));
  let last: unknown;
  for (const e of ordered) {
    const left = deadline - clock.now();
    if (left <= 0) break;
    const send = e.connection.request;
    if (send === undefined) continue;
    try {
      return await send.call(e.connection, method, params, {
        timeoutMs: left,
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
        ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
      });
    } catch (err) {
      if (options.signal?.aborted || rpcErrorOf(err) !== undefined) throw err;
      last = err;
    }
  }
  throw new ChaosError(
    last === undefined ? 'CALL_TIMEOUT' : 'NO_ENDPOINT',
    `${group.name}: ${method} failed on every endpoint${last === undefined ? '' : `: ${errorMessage(last)}`}`,
    { cause: last, details: { server: group.name, op: method } },
  );
}
