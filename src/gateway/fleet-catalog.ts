/**
 * The fleet as one server's catalogue: the union of every server's tools, prompts, resources and resource
 * templates under their client names (name-map.ts), and the way back from a client's name or URI to the
 * server that owns it. A server that cannot be listed right now (down, breaker open) is left out of a list
 * rather than failing it; a server without the capability (-32601) simply has none.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { isChaosError } from '../core/errors.js';
import { type McpManager, rpcErrorOf } from '../manager/index.js';
import { invalidParams, METHOD_NOT_FOUND, toClientError } from './gateway-errors.js';
import { buildNameIndex, clientName, type MappedName, type NameIndex, parseClientName } from './name-map.js';
import { ResourceRouter, type ResourceUriMode } from './resource-router.js';

/** Most pages read of one server's list. */
const MAX_PAGES = 100;

export interface Collision {
  kind: 'tool' | 'prompt' | 'resource';
  clientName: string;
  claimedBy: string[];
}

type Item = Record<string, unknown>;

export class FleetCatalog {
  private tools: NameIndex | undefined;
  private prompts: NameIndex | undefined;
  /** Resource URIs both ways (prefixed or as-is). */
  readonly resources: ResourceRouter;

  constructor(
    private readonly manager: McpManager,
    private readonly template: () => string,
    /** Told of every collision found by a listing (the first claim is kept). */
    private readonly onCollision: (c: Collision) => void = () => {},
    uriMode: () => ResourceUriMode = () => 'prefixed',
  ) {
    this.resources = new ResourceRouter(
      () => this.servers(),
      uriMode,
      (server, method, field) => this.listAll(server, method, field),
      (uri, claimedBy) => this.onCollision({ kind: 'resource', clientName: uri, claimedBy }),
    );
  }

  private servers(): string[] {
    return this.manager.registry.servers().map((s) => s.name);
  }

  /** Every server's tools under client names (a server that cannot be listed now is left out). */
  async listTools(refresh = false): Promise<Tool[]> {
    const lists = await Promise.all(
      this.servers().map(async (server) => {
        const tools = await this.manager.listTools(server, { refresh }).catch(() => [] as Tool[]);
        return tools.map((tool) => ({ server, tool }));
      }),
    );
    const all = lists.flat();
    const template = this.template();
    this.tools = this.indexed(
      'tool',
      all.map((t) => ({ server: t.server, name: t.tool.name })),
    );
    const owners = this.tools.byClientName;
    return all
      .filter((t) => owners.get(clientName(template, t.server, t.tool.name))?.server === t.server)
      .map((t) => ({ ...t.tool, name: clientName(template, t.server, t.tool.name) }));
  }

  /** The server and tool behind a client's tool name (listing again once on a miss). */
  async resolveTool(name: string): Promise<MappedName> {
    return (
      this.tools?.byClientName.get(name) ??
      (await this.listTools().then(() => this.tools?.byClientName.get(name))) ??
      parseClientName(this.template(), this.servers(), name) ??
      Promise.reject(invalidParams(`Unknown tool: ${name}`))
    );
  }

  /** Every server's prompts under client names. */
  async listPrompts(): Promise<Item[]> {
    const lists = await Promise.all(
      this.servers().map(async (server) =>
        (await this.listAll(server, 'prompts/list', 'prompts')).map((prompt) => ({ server, prompt })),
      ),
    );
    const all = lists.flat();
    const template = this.template();
    this.prompts = this.indexed(
      'prompt',
      all.map((p) => ({ server: p.server, name: String(p.prompt.name) })),
    );
    const owners = this.prompts.byClientName;
    return all
      .filter((p) => owners.get(clientName(template, p.server, String(p.prompt.name)))?.server === p.server)
      .map((p) => ({ ...p.prompt, name: clientName(template, p.server, String(p.prompt.name)) }));
  }

  async resolvePrompt(name: string): Promise<MappedName> {
    return (
      this.prompts?.byClientName.get(name) ??
      (await this.listPrompts().then(() => this.prompts?.byClientName.get(name))) ??
      parseClientName(this.template(), this.servers(), name) ??
      Promise.reject(invalidParams(`Unknown prompt: ${name}`))
    );
  }

  /** Every page of a server's list (`field` of each page); [] when it cannot answer now. */
  async listAll(server: string, method: string, field: string): Promise<Item[]> {
    const out: Item[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      let result: Record<string, unknown>;
      try {
        result = await this.manager.request(server, method, cursor === undefined ? undefined : { cursor });
      } catch (e) {
        if (rpcErrorOf(e)?.code === METHOD_NOT_FOUND || isChaosError(e)) return out;
        throw toClientError(e, server);
      }
      const items = result[field];
      if (Array.isArray(items)) out.push(...(items as Item[]));
      cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined;
      if (cursor === undefined) break;
    }
    return out;
  }

  private indexed(kind: Collision['kind'], items: MappedName[]): NameIndex {
    const index = buildNameIndex(this.template(), items);
    for (const c of index.collisions) this.onCollision({ kind, ...c });
    return index;
  }
}
