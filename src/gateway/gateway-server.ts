/**
 * The MCP server a gateway client talks to: one v2 SDK `Server` (low-level) whose handlers route through
 * the {@link FleetCatalog} and the {@link McpManager}. One instance serves one 2025 session, one
 * 2026-07-28 request, or one stdio client; the same handlers serve both eras.
 */
import { ProtocolError, Server } from '@modelcontextprotocol/server';
import type { Clock } from '../core/clock.js';
import { jsonDeeperThan } from '../core/index.js';
import type { CallOptions, McpManager } from '../manager/index.js';
import {
  type Ctx,
  clean,
  clientCan,
  forwardedMeta,
  inputOf,
  type Params,
  progressRelay,
  type Req,
  refuseUndeclared,
  serverMessageRelay,
} from './call-relays.js';
import type { ClientRoots } from './client-roots.js';
import { fleetFace } from './fleet-capabilities.js';
import type { FleetCatalog } from './fleet-catalog.js';
import type { GatewayConfig } from './gateway-config.js';
import { INTERNAL_ERROR, invalidParams, toClientError } from './gateway-errors.js';
import type { GatewayLog } from './gateway-log.js';
import { InputBridge } from './input-bridge.js';
import { RELAY_PER_SEC, RelayBudget } from './relay-budget.js';
import type { ResourceSubscriptions } from './resource-subscriptions.js';
import { mapPromptUris, mapReadUris, mapToolResultUris } from './result-uris.js';

export interface GatewayServerDeps {
  manager: McpManager;
  catalog: FleetCatalog;
  /** 2025 upstreams' requests to 2026-07-28 clients, through input_required (input-bridge.ts). */
  bridge: InputBridge;
  /** The roots upstreams are told outside calls (client-roots.ts). */
  roots: ClientRoots;
  /** Resource subscriptions shared by every client (resource-subscriptions.ts). */
  subscriptions: ResourceSubscriptions;
  config: () => GatewayConfig;
  /** The gateway's version, told to clients. */
  version: string;
  log?: GatewayLog;
  clock: Clock;
}

export function createGatewayServer(deps: GatewayServerDeps): Server {
  const { manager, catalog } = deps;
  /**
   * An upstream's answer the gateway can forward: one nested deeper than `maxJsonDepth` would overflow the
   * serializer on its way to the client (who would then get no answer at all) — the client gets a
   * JSON-RPC internal error naming the server instead, and the gateway a warning. The manager has
   * recorded the call as a success: the replica answered; it is not held against it.
   */
  const forwardable = (result: Record<string, unknown>, server: string, method: string) => {
    const max = deps.config().maxJsonDepth;
    if (!jsonDeeperThan(result, max)) return clean(result);
    deps.log?.warn({ server, method, maxJsonDepth: max }, 'upstream answer nested too deep: not forwarded');
    throw new ProtocolError(
      INTERNAL_ERROR,
      `the answer of ${server} to ${method} is nested deeper than ${max} levels: not forwarded`,
      { server },
    );
  };
  // only what some upstream has (fleet-capabilities.ts); a method of another is -32601, as upstream
  const face = fleetFace(
    manager.registry.servers().map((s) => ({ name: s.name, details: manager.serverDetails(s.name) })),
  );
  const server = new Server(
    { name: 'mcp-chaos-gateway', version: deps.version },
    {
      capabilities: face.capabilities,
      ...(face.instructions !== undefined ? { instructions: face.instructions } : {}),
    },
  );
  const capability: Record<string, string> = {
    resources: 'resources',
    prompts: 'prompts',
    completion: 'completions',
    logging: 'logging',
  };
  deps.roots.watch(server);
  const on = (method: string, handler: (req: Req, ctx: Ctx) => Promise<Record<string, unknown>>) => {
    const needs = capability[method.slice(0, method.indexOf('/'))];
    if (needs !== undefined && (face.capabilities as Record<string, unknown>)[needs] === undefined) return;
    if (
      method.startsWith('resources/') &&
      method.includes('subscribe') &&
      !face.capabilities.resources?.subscribe
    )
      return;
    server.setRequestHandler(method as 'tools/list', handler as never);
  };

  on('tools/list', async () => ({ tools: await catalog.listTools() }));

  on('tools/call', async (req, ctx) => {
    const name = String(req.params?.name ?? '');
    const target = await catalog.resolveTool(name);
    const config = deps.config();
    const idempotent =
      config.idempotent[`${target.server}/${target.name}`] ?? config.idempotent[target.server];
    const meta = forwardedMeta(req.params?._meta);
    const budget = new RelayBudget(deps.clock);
    const onProgress = progressRelay(req, ctx, budget);
    const options = (signal: AbortSignal): CallOptions => ({
      signal,
      ...(idempotent !== undefined ? { idempotent } : {}),
      ...(meta !== undefined ? { meta } : {}),
      ...(onProgress !== undefined ? { onProgress } : {}),
      ...serverMessageRelay(ctx, budget, deps.roots, server.getClientCapabilities() ?? {}),
      ...inputOf(ctx),
    });
    const call = (o: CallOptions) =>
      manager.callTool(target.server, target.name, req.params?.arguments as Params | undefined, o) as Promise<
        Record<string, unknown>
      >;
    const uris = (uri: string) => catalog.resources.toClient(target.server, uri);
    try {
      let result: Record<string, unknown>;
      const state = ctx.mcpReq.requestState?.();
      if (InputBridge.owns(state)) {
        // a 2026-07-28 client answering what a 2025 upstream asked (input-bridge.ts)
        result = await deps.bridge.resume(state, ctx.mcpReq.inputResponses, ctx.mcpReq.signal);
      } else if (ctx.mcpReq.envelope !== undefined) {
        const declared = server.getClientCapabilities() ?? {};
        result = await deps.bridge.start(
          (ask, signal) =>
            call({
              ...options(signal),
              onServerRequest: async (r, s) => {
                if (!clientCan(declared, r.method))
                  return r.method === 'roots/list' ? deps.roots.current() : refuseUndeclared(r.method);
                const answer = await ask(r, s);
                if (r.method === 'roots/list') deps.roots.update(answer);
                return answer;
              },
            }),
          ctx.mcpReq.signal,
        );
      } else result = await call(options(ctx.mcpReq.signal));
      if (result.resultType === 'input_required') return result;
      return mapToolResultUris(forwardable(result, target.server, 'tools/call'), uris);
    } catch (e) {
      throw toClientError(e, target.server);
    } finally {
      if (budget.dropped > 0)
        deps.log?.warn(
          { server: target.server, tool: target.name, dropped: budget.dropped },
          `the upstream's notifications on one call came faster than ${RELAY_PER_SEC}/s: the rest were not relayed`,
        );
    }
  });

  const forward = async (server: string, method: string, params: Params, req: Req, ctx: Ctx) => {
    const onProgress = progressRelay(req, ctx, new RelayBudget(deps.clock));
    const meta = forwardedMeta(req.params?._meta);
    try {
      return forwardable(
        await manager.request(server, method, meta === undefined ? params : { ...params, _meta: meta }, {
          signal: ctx.mcpReq.signal,
          ...(onProgress !== undefined ? { onProgress } : {}),
        }),
        server,
        method,
      );
    } catch (e) {
      throw toClientError(e, server);
    }
  };

  on('resources/list', async () => ({ resources: await catalog.resources.list('resources') }));
  on('resources/templates/list', async () => ({
    resourceTemplates: await catalog.resources.list('resourceTemplates'),
  }));
  on('resources/read', async (req, ctx) => {
    const target = await catalog.resources.resolve(String(req.params?.uri ?? ''));
    const result = await forward(target.server, 'resources/read', { uri: target.uri }, req, ctx);
    return mapReadUris(result, (uri) => catalog.resources.toClient(target.server, uri));
  });

  // this client's subscriptions (a 2025 session: updates are sent on it), released when it closes
  const holder = deps.subscriptions.holder((uri) => {
    void server.notification({ method: 'notifications/resources/updated', params: { uri } }).catch(() => {});
  });
  const closed = server.onclose;
  server.onclose = () => {
    deps.subscriptions.release(holder);
    closed?.();
  };
  for (const method of ['resources/subscribe', 'resources/unsubscribe'] as const) {
    on(method, async (req) => {
      const uri = String(req.params?.uri ?? '');
      const target = await catalog.resources.resolve(uri);
      try {
        if (method === 'resources/subscribe') await deps.subscriptions.subscribe(holder, uri);
        else await deps.subscriptions.unsubscribe(holder, uri);
      } catch (e) {
        throw toClientError(e, target.server);
      }
      return {};
    });
  }

  // the level applies to every server behind the gateway (best effort: one that cannot take it now is skipped)
  on('logging/setLevel', async (req) => {
    const level = req.params?.level;
    const names = manager.registry.servers().map((s) => s.name);
    await Promise.all(
      names.map((n) => manager.request(n, 'logging/setLevel', { level }).catch(() => undefined)),
    );
    return {};
  });

  on('prompts/list', async () => ({ prompts: await catalog.listPrompts() }));
  on('prompts/get', async (req, ctx) => {
    const target = await catalog.resolvePrompt(String(req.params?.name ?? ''));
    const args = req.params?.arguments;
    const result = await forward(
      target.server,
      'prompts/get',
      { name: target.name, ...(args !== undefined ? { arguments: args } : {}) },
      req,
      ctx,
    );
    return mapPromptUris(result, (uri) => catalog.resources.toClient(target.server, uri));
  });

  on('completion/complete', async (req, ctx) => {
    const ref = (req.params?.ref ?? {}) as Params;
    const rest = { ...(req.params ?? {}) };
    delete rest._meta;
    if (ref.type === 'ref/prompt') {
      const target = await catalog.resolvePrompt(String(ref.name ?? ''));
      return forward(
        target.server,
        'completion/complete',
        { ...rest, ref: { ...ref, name: target.name } },
        req,
        ctx,
      );
    }
    if (ref.type === 'ref/resource') {
      const target = await catalog.resources.resolve(String(ref.uri ?? ''));
      return forward(
        target.server,
        'completion/complete',
        { ...rest, ref: { ...ref, uri: target.uri } },
        req,
        ctx,
      );
    }
    throw invalidParams(`completion/complete: unknown ref type ${JSON.stringify(ref.type)}`);
  });
  return server;
}
