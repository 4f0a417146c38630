/**
 * The requests a connection makes on a session, whichever SDK line serves it: v1 (`@modelcontextprotocol/sdk`)
 * for the 2025 era, v2 (`@modelcontextprotocol/client`) for 2026-07-28. The base connection only ever
 * speaks through this.
 *
 * 2026-07-28 multi-round-trip requests: a server that needs input (elicitation, sampling, roots) answers
 * `tools/call` with an `input_required` result (`resultType`, `inputRequests`, `requestState`). The manager
 * hands that result back to its caller intact (the v2 client's auto-fulfilment is off per call), and the
 * caller's retry carries `inputResponses` / `requestState` as top-level params — on whichever replica serves
 * it. The 2025 era has no such params: a call carrying them fails there as a protocol mismatch.
 */
import type { Client as ModernClient } from '@modelcontextprotocol/client';
import type { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ChaosError } from '../../core/errors.js';
import type { ProgressListener, ToolInput } from '../types.js';

export interface RpcOptions {
  signal?: AbortSignal;
  /** The SDK's own request timeout (ms), a backstop behind our deadline. */
  timeout: number;
  /** Transport options' headers (v2 only): the scope tag (request-scope.ts), stripped before the wire. */
  headers?: Record<string, string>;
}

/** Any result object, kept whole (the server's own fields pass through). */
const ANY_RESULT = z.looseObject({});

/** What a `tools/call` carries besides name and arguments. */
export interface ToolCallExtras {
  /** The request's `_meta` (the same on a replay). */
  meta?: Record<string, unknown> | undefined;
  /** The answer to an earlier `input_required` result. */
  input?: ToolInput | undefined;
  /** Receives the request's progress notifications (the SDK then adds a progressToken). */
  onProgress?: ProgressListener | undefined;
}

export interface SessionRpc {
  callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    o: RpcOptions,
    extras?: ToolCallExtras,
  ): Promise<CallToolResult>;
  /** The liveness probe of the era: `ping` (2025), `server/discover` (2026-07-28, which has no ping). */
  probe(o: RpcOptions): Promise<void>;
  /** One page of `tools/list`. */
  listTools(cursor: string | undefined, o: RpcOptions): Promise<{ tools: Tool[]; nextCursor?: string }>;
  /** What the server said of itself when the session opened (initialize / server/discover). */
  server(): ServerDetails;
  /** Sends a notification (2025 sessions; a no-op on 2026-07-28, which has no client notifications to send). */
  notify(method: string, params: Record<string, unknown> | undefined): Promise<void>;
  /** Any other request; its result as sent. */
  request(
    method: string,
    params: Record<string, unknown> | undefined,
    o: RpcOptions,
    onProgress?: ProgressListener,
  ): Promise<Record<string, unknown>>;
}

/** The SDK request options with a progress callback when one is wanted. */
function withProgress<O extends RpcOptions>(o: O, onProgress: ProgressListener | undefined) {
  if (onProgress === undefined) return o;
  return {
    ...o,
    onprogress: (p: { progress: number; total?: number; message?: string }) => {
      try {
        onProgress(p);
      } catch {
        // a listener's failure must not fail the request
      }
    },
  };
}

/** `{method, params}` without an undefined params. */
function rpcRequest(method: string, params: Record<string, unknown> | undefined) {
  return params === undefined ? { method } : { method, params };
}

/** tools/call params: name, arguments and, when given, `_meta`. */
function callParams(name: string, args: Record<string, unknown> | undefined, meta: ToolCallExtras['meta']) {
  return meta === undefined ? { name, arguments: args ?? {} } : { name, arguments: args ?? {}, _meta: meta };
}

/** What a server says of itself: its capabilities, instructions and name/version (each when it gave them). */
export interface ServerDetails {
  capabilities?: Record<string, unknown>;
  instructions?: string;
  info?: { name: string; version: string };
}

function detailsOf(client: {
  getServerCapabilities(): unknown;
  getInstructions(): string | undefined;
  getServerVersion(): unknown;
}): ServerDetails {
  const capabilities = client.getServerCapabilities() as Record<string, unknown> | undefined;
  const instructions = client.getInstructions();
  const info = client.getServerVersion() as { name?: unknown; version?: unknown } | undefined;
  return {
    ...(capabilities ? { capabilities } : {}),
    ...(typeof instructions === 'string' && instructions !== '' ? { instructions } : {}),
    ...(info && typeof info.name === 'string'
      ? { info: { name: info.name, version: String(info.version ?? '') } }
      : {}),
  };
}

export function legacyRpc(client: LegacyClient, endpoint: string): SessionRpc {
  return {
    server: () => detailsOf(client),
    notify: (method, params) => client.notification({ method, ...(params ? { params } : {}) } as never),
    callTool: (name, args, o, extras) => {
      if (extras?.input !== undefined)
        return Promise.reject(
          new ChaosError(
            'PROTOCOL_VERSION',
            `${endpoint}: tools/call: an answer to input_required (inputResponses / requestState) needs 2026-07-28; this endpoint speaks 2025-11-25`,
            { details: { failureClass: 'protocol', endpoint, op: 'tools/call', supported: ['2025-11-25'] } },
          ),
        );
      return client.callTool(
        callParams(name, args, extras?.meta),
        undefined,
        withProgress(o, extras?.onProgress),
      ) as Promise<CallToolResult>;
    },
    probe: async (o) => {
      await client.ping(o);
    },
    listTools: (cursor, o) => client.listTools(cursor === undefined ? undefined : { cursor }, o),
    request: (method, params, o, onProgress) =>
      client.request(rpcRequest(method, params) as never, ANY_RESULT, withProgress(o, onProgress)) as Promise<
        Record<string, unknown>
      >,
  };
}

export function modernRpc(client: ModernClient): SessionRpc {
  return {
    server: () => detailsOf(client),
    notify: async () => {},
    callTool: (name, args, o, extras) => {
      const params = callParams(name, args, extras?.meta);
      const input = extras?.input;
      return client.callTool(input === undefined ? params : { ...params, ...input }, {
        ...withProgress(o, extras?.onProgress),
        // an input_required result goes back to the caller as it came
        allowInputRequired: true,
      }) as unknown as Promise<CallToolResult>;
    },
    probe: async (o) => {
      await client.discover(o);
    },
    listTools: (cursor, o) =>
      client.listTools(cursor === undefined ? undefined : { cursor }, o) as unknown as Promise<{
        tools: Tool[];
        nextCursor?: string;
      }>,
    request: (method, params, o, onProgress) =>
      client.request(rpcRequest(method, params) as never, withProgress(o, onProgress)) as unknown as Promise<
        Record<string, unknown>
      >,
  };
}
