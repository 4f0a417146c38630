import type { ProxyMetrics } from '../metrics.js';
import { apiErrors, ToxiproxyApiError } from '../model/api-error.js';
import type { ProxyCollection } from '../model/proxy-collection.js';
import { toxicJson } from '../model/toxic-entry.js';
import { buildToxic, updatedToxic } from './build-toxic.js';
import { goStringify } from './go-json.js';
import {
  decodePopulate,
  decodeProxyCreate,
  decodeProxyUpdate,
  decodeToxicCreate,
  decodeToxicUpdate,
} from './inputs.js';
import { populate } from './populate.js';
import { type ApiResponse, emptyResponse, jsonResponse, rawJsonResponse } from './responses.js';

/** The server version the API reports. */
export const TOXIPROXY_VERSION = '2.12.0';

/** A matched request: path parameters in order, and the body as text. */
export interface RouteRequest {
  params: string[];
  body: string;
}

export type RouteHandler = (request: RouteRequest) => Promise<ApiResponse> | ApiResponse;

/** A path pattern (`*` = one non-empty segment) and its handlers by method (`*` = any method). */
export interface Route {
  pattern: readonly string[];
  methods: Readonly<Record<string, RouteHandler>>;
}

/** What the routes act on. */
export interface RouteDeps {
  collection: ProxyCollection;
  metrics?: ProxyMetrics;
}

/** Toxiproxy's route table. Handlers throw ToxiproxyApiError for error answers. */
export function createRoutes({ collection, metrics }: RouteDeps): Route[] {
  const proxyJson = (name: string) => collection.get(name).toJSON();
  const updateProxy: RouteHandler = async ({ params, body }) => {
    const proxy = collection.get(params[0]!);
    const { listen, upstream, enabled } = proxy;
    await proxy.update(decodeProxyUpdate(body, { listen, upstream, enabled }));
    return jsonResponse(200, proxy.toJSON());
  };
  const updateToxic: RouteHandler = ({ params, body }) => {
    const proxy = collection.get(params[0]!);
    const toxic = proxy.findToxic(params[1]!);
    if (!toxic) throw apiErrors.toxicNotFound();
    const next = updatedToxic(toxic, decodeToxicUpdate(body, toxic.kind, toxic));
    proxy.updateToxic(toxic, next);
    return jsonResponse(200, toxicJson(next));
  };
  const routes: Route[] = [
    {
      pattern: ['reset'],
      methods: {
        POST: async () => {
          await collection.reset();
          return emptyResponse(204);
        },
      },
    },
    {
      pattern: ['proxies'],
      methods: {
        GET: () => {
          const parts = collection.sorted().map((p) => `${goStringify(p.name)}:${goStringify(p.toJSON())}`);
          return rawJsonResponse(200, `{${parts.join(',')}}`);
        },
        POST: async ({ body }) => {
          const input = decodeProxyCreate(body);
          if (input.name === '') throw apiErrors.missingField('name');
          if (input.upstream === '') throw apiErrors.missingField('upstream');
          const proxy = await collection.add(input.name, input);
          return jsonResponse(201, proxy.toJSON());
        },
      },
    },
    {
      pattern: ['populate'],
      methods: {
        POST: async ({ body }) => {
          let result: Awaited<ReturnType<typeof populate>>;
          try {
            result = await populate(collection, decodePopulate(body));
          } catch (e) {
            if (!(e instanceof ToxiproxyApiError)) throw e;
            result = { proxies: [], error: e };
          }
          const proxies = result.proxies.length > 0 ? result.proxies.map((p) => p.toJSON()) : null;
          if (!result.error) return jsonResponse(201, { proxies });
          const { message, status } = result.error;
          return jsonResponse(status, { error: message, status, proxies });
        },
      },
    },
    {
      pattern: ['proxies', '*'],
      methods: {
        GET: ({ params }) => jsonResponse(200, proxyJson(params[0]!)),
        POST: updateProxy,
        PATCH: updateProxy,
        DELETE: async ({ params }) => {
          await collection.remove(params[0]!);
          return emptyResponse(204);
        },
      },
    },
    {
      pattern: ['proxies', '*', 'toxics'],
      methods: {
        GET: ({ params }) => jsonResponse(200, collection.get(params[0]!).allToxics().map(toxicJson)),
        POST: ({ params, body }) => {
          const proxy = collection.get(params[0]!);
          const entry = buildToxic(decodeToxicCreate(body), (name) => proxy.findToxic(name) !== undefined);
          proxy.addToxic(entry);
          return jsonResponse(200, toxicJson(entry));
        },
      },
    },
    {
      pattern: ['proxies', '*', 'toxics', '*'],
      methods: {
        GET: ({ params }) => {
          const toxic = collection.get(params[0]!).findToxic(params[1]!);
          if (!toxic) throw apiErrors.toxicNotFound();
          return jsonResponse(200, toxicJson(toxic));
        },
        POST: updateToxic,
        PATCH: updateToxic,
        DELETE: ({ params }) => {
          const proxy = collection.get(params[0]!);
          const toxic = proxy.findToxic(params[1]!);
          if (!toxic) throw apiErrors.toxicNotFound();
          proxy.removeToxic(toxic);
          return emptyResponse(204);
        },
      },
    },
    {
      pattern: ['version'],
      methods: {
        GET: () => ({
          status: 200,
          headers: { 'Content-Type': 'application/json;charset=utf-8' },
          body: `{"version": "${TOXIPROXY_VERSION}"}\n`,
        }),
      },
    },
  ];
  if (metrics) {
    routes.push({
      pattern: ['metrics'],
      methods: {
        '*': async () => ({
          status: 200,
          headers: { 'Content-Type': metrics.contentType },
          body: await metrics.render(),
        }),
      },
    });
  }
  return routes;
}

/** Finds the handler for a cleaned, decoded path: a handler, 'method' (405) or undefined (404). */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { handler: RouteHandler; params: string[] } | 'method' | undefined {
  const segments = path.split('/').slice(1);
  let pathMatched = false;
  for (const route of routes) {
    if (route.pattern.length !== segments.length) continue;
    const params: string[] = [];
    let ok = true;
    for (let i = 0; i < segments.length; i++) {
      const want = route.pattern[i]!;
      const got = segments[i]!;
      if (want === '*') {
        if (got === '') ok = false;
        else params.push(got);
      } else if (want !== got) ok = false;
      if (!ok) break;
    }
    if (!ok) continue;
    const handler = route.methods[method] ?? route.methods['*'];
    if (handler) return { handler, params };
    pathMatched = true;
  }
  return pathMatched ? 'method' : undefined;
}
