/**
 * The fleet as one server's catalogue: the union of every server's tools, prompts, resources and resource
 * templates under their client names (name-map.ts), and the way back from a client's name or URI to the
 * server that owns it. A server that cannot be listed right now (down, breaker open) is left out of a list
 * rather than failing it; a server without the capability (-32601) simply has none.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { type Clock, systemClock } from '../core/clock.js';
import { isChaosError } from '../core/errors.js';
import { type McpManager, rpcErrorOf } from '../manager/index.js';
import { invalidParams, METHOD_NOT_FOUND, toClientError } from './gateway-errors.js';
import { buildNameIndex, clientName, type MappedName, type NameIndex, parseClientName } from './name-map.js';
import { ResourceRouter, type ResourceUriMode } from './resource-router.js';
import { ToolLists } from './tool-lists.js';

/** Most pages read of one server's list. */
const MAX_PAGES = 100;

/** Whether `server` is the first claimant of client name `name` not yet emitted (a name listed twice: once). */
function firstClaim(
  owners: ReadonlyMap<string, { server: string }>,
  emitted: Set<string>,
  name: string,
  server: string,
): boolean {
  if (owners.get(name)?.server !== server || emitted.has(name)) return false;
  emitted.add(name);
  return true;
}

/** An item left out of the catalogue, and why. */
export interface Collision {
  kind: 'tool' | 'prompt' | 'resource';
  clientName: string;
  claimedBy: string[];
  /**
   * `collision`: two items would take one client name (the first — servers in config order, items in
   * listing order — keeps it); `invalid-name`: the client name breaks MCP's naming rules; `unlisted`: the
   * server's list was refused (over a listing bound).
   */
  reason?: 'collision' | 'invalid-name' | 'unlisted';
}

/** MCP's tool-name rules (2025-11-25): 1–128 of A–Z a–z 0–9 `_` `-` `.` (no spaces, controls, other scripts). */
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** Whether a client-facing tool or prompt name follows the rules (else it is skipped, with a warning). */
export function validToolName(name: string): boolean {
  return TOOL_NAME.test(name);
}

type Item = Record<string, unknown>;

export class FleetCatalog {
  private tools: NameIndex | undefined;
  /** Each server's tools, fast whatever one upstream does. */
  readonly lists: ToolLists;
  private prompts: NameIndex | undefined;
  /** Resource URIs both ways (prefixed or as-is). */
  readonly resources: ResourceRouter;

  constructor(
    private readonly manager: McpManager,
    private readonly template: () => string,
    /** Told of every collision found by a listing (the first claim is kept). */
    private readonly onCollision: (c: Collision) => void = () => {},
    uriMode: () => ResourceUriMode = () => 'prefixed',
    clock: Clock = systemClock,
    /** Told when a server's tool list that did not come in time came (clients should list again). */
    onLateList: (server: string) => void = () => {},
  ) {
    this.lists = new ToolLists(
      manager,
      clock,
      (server) =>
        this.onCollision({ kind: 'tool', clientName: '*', claimedBy: [server], reason: 'unlisted' }),
      onLateList,
    );
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

  /**
   * Every server's tools under client names (a server that cannot be listed now is left out); `waitMs`:
   * how long to wait for a server's list that is not in yet (tool-lists.ts).
   */
  async listTools(refresh = false, waitMs?: number): Promise<Tool[]> {
    const template = this.template();
    const lists = await Promise.all(
      this.servers().map(async (server) => {
        const tools = await this.lists.get(server, refresh, waitMs);
        return tools.map((tool) => ({ server, tool }));
      }),
    );
    const all = lists.flat().filter((t) => {
      const name = clientName(template, t.server, t.tool.name);
      if (validToolName(name)) return true;
      this.onCollision({
        kind: 'tool',
        clientName: name,
        claimedBy: [`${t.server}/${t.tool.name}`],
        reason: 'invalid-name',
      });
      return false;
    });
    this.tools = this.indexed(
      'tool',
      all.map((t) => ({ server: t.server, name: t.tool.name })),
    );
    const owners = this.tools.byClientName;
    const emitted = new Set<string>();
    return all
      .filter((t) => firstClaim(owners, emitted, clientName(template, t.server, t.tool.name), t.server))
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
    const template = this.template();
    const all = lists.flat().filter((p) => {
      const name = clientName(template, p.server, String(p.prompt.name));
      if (validToolName(name)) return true;
      this.onCollision({
        kind: 'prompt',
        clientName: name,
        claimedBy: [`${p.server}/${String(p.prompt.name)}`],
        reason: 'invalid-name',
      });
      return false;
    });
    this.prompts = this.indexed(
      'prompt',
      all.map((p) => ({ server: p.server, name: String(p.prompt.name) })),
    );
    const owners = this.prompts.byClientName;
    const emitted = new Set<string>();
    return all
      .filter((p) =>
        firstClaim(owners, emitted, clientName(template, p.server, String(p.prompt.name)), p.server),
      )
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
    for (const c of index.collisions) this.onCollision({ kind, ...c, reason: 'collision' });
    return index;
  }
}
