/**
 * What passes between a gateway client's request and the upstream call behind it: the client's `_meta`
 * and progress token, a 2025 upstream's own requests and log messages (relayed to a 2025 client; a
 * 2026-07-28 client is asked through the input bridge, only for capabilities it declared), a 2026-07-28
 * retry's answers, and the upstream connection's own `_meta` keys left out of results.
 */
import type { CallOptions, ProgressUpdate } from '../manager/index.js';
import type { ClientRoots } from './client-roots.js';
import { rpcRefusal } from './input-bridge.js';
import type { RelayBudget } from './relay-budget.js';

export interface Ctx {
  mcpReq: {
    signal: AbortSignal;
    notify: (n: { method: string; params?: Record<string, unknown> }) => Promise<void>;
    send: (
      r: { method: string; params?: Record<string, unknown> },
      o?: { signal?: AbortSignal },
    ) => Promise<unknown>;
    /** Present on 2026-07-28 requests (the per-request envelope). */
    envelope?: unknown;
    /** 2026-07-28: the answers to an earlier `input_required` result, and its state (raw). */
    inputResponses?: Record<string, unknown>;
    requestState?: () => unknown;
  };
}

/**
 * For a 2025 client: the upstream's own requests (sampling, elicitation) and log messages during this
 * call, passed to the client on the call's stream. A 2026-07-28 client has no server-to-client requests
 * (its servers answer `input_required` instead): nothing is relayed to it.
 */
export function serverMessageRelay(
  ctx: Ctx,
  budget: RelayBudget,
  roots: ClientRoots,
  declared: Record<string, unknown>,
): Pick<CallOptions, 'onServerRequest' | 'onNotification'> {
  if (ctx.mcpReq.envelope !== undefined) return {};
  return {
    onServerRequest: async (r, signal) => {
      // a client without roots is not asked for them: the upstream gets the latest list known
      if (r.method === 'roots/list' && !clientCan(declared, r.method)) return roots.current();
      const signals = AbortSignal.any([signal, ctx.mcpReq.signal]);
      const answer = (await ctx.mcpReq.send(r, { signal: signals })) as Record<string, unknown>;
      if (r.method === 'roots/list') roots.update(answer);
      return answer;
    },
    onNotification: (n) => {
      if (budget.take()) void ctx.mcpReq.notify(n).catch(() => {});
    },
  };
}

export type Params = Record<string, unknown> & { _meta?: Record<string, unknown> };

/** The client capability a server-to-client request needs. */
const NEEDS: Record<string, string> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

export function clientCan(declared: Record<string, unknown>, method: string): boolean {
  const cap = NEEDS[method];
  return cap !== undefined && declared[cap] !== undefined;
}

/** The upstream hears why its client cannot be asked (one clear -32601, no prefix doubled). */
export function refuseUndeclared(method: string): Promise<never> {
  const cap = NEEDS[method];
  return Promise.reject(
    rpcRefusal(
      -32601,
      cap === undefined
        ? `${method}: the gateway relays no such request`
        : `${method}: the gateway's client did not declare the ${cap} capability`,
    ),
  );
}
export type Req = { params?: Params };

/** Keys of `_meta` that belong to the client's own connection (envelope, progress), never forwarded. */
export function forwardedMeta(meta: Params['_meta']): Record<string, unknown> | undefined {
  if (meta === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) {
    if (k !== 'progressToken' && !k.startsWith('io.modelcontextprotocol/')) out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A progress callback relaying the upstream's progress to the client, when the client asked for it. */
export function progressRelay(
  req: Req,
  ctx: Ctx,
  budget: RelayBudget,
): ((p: ProgressUpdate) => void) | undefined {
  const token = req.params?._meta?.progressToken;
  if (typeof token !== 'string' && typeof token !== 'number') return undefined;
  return (p) => {
    if (!budget.take()) return;
    void ctx.mcpReq
      .notify({ method: 'notifications/progress', params: { progressToken: token, ...p } })
      .catch(() => {});
  };
}

/** An upstream result without the upstream connection's own `_meta` keys (its server info, envelope). */
export function clean(result: Record<string, unknown>): Record<string, unknown> {
  const meta = result._meta as Record<string, unknown> | undefined;
  if (meta === undefined || typeof meta !== 'object') return result;
  const kept = Object.fromEntries(
    Object.entries(meta).filter(([k]) => !k.startsWith('io.modelcontextprotocol/')),
  );
  const { _meta: _dropped, ...rest } = result;
  return Object.keys(kept).length > 0 ? { ...rest, _meta: kept } : rest;
}

/** A 2026-07-28 retry's answer to an `input_required` result, passed to whichever replica serves it. */
export function inputOf(ctx: Ctx): Pick<CallOptions, 'input'> {
  const state = ctx.mcpReq.requestState?.();
  const responses = ctx.mcpReq.inputResponses;
  if (state === undefined && responses === undefined) return {};
  return {
    input: {
      ...(responses !== undefined ? { inputResponses: responses } : {}),
      ...(typeof state === 'string' ? { requestState: state } : {}),
    },
  };
}
