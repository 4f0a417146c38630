/**
 * Resource URIs between clients and servers. `prefixed` (default): every URI and URI template is shown as
 * `mcp-gateway://<server>/<uri>` and the prefix names the owner. `as-is`: servers' URIs are shown
 * unchanged and the owner of a URI is found from the listings — an exact resource first, then a template
 * that matches it, else the only server; a URI two servers list is a collision (the first keeps it).
 */
import { UriTemplate } from '@modelcontextprotocol/server';
import { invalidParams } from './gateway-errors.js';
import { clientUri, parseClientUri } from './name-map.js';

export type ResourceUriMode = 'prefixed' | 'as-is';
type Item = Record<string, unknown>;
export type ListAll = (server: string, method: string, field: string) => Promise<Item[]>;

export class ResourceRouter {
  /** as-is: URI → owner, and each server's templates (refreshed by every listing). */
  private owners = new Map<string, string>();
  private templates: { server: string; template: UriTemplate; raw: string }[] = [];

  constructor(
    private readonly servers: () => string[],
    private readonly mode: () => ResourceUriMode,
    private readonly listAll: ListAll,
    private readonly onCollision: (uri: string, claimedBy: string[]) => void = () => {},
  ) {}

  /** Every server's resources or templates as clients see them. */
  async list(kind: 'resources' | 'resourceTemplates'): Promise<Item[]> {
    const method = kind === 'resources' ? 'resources/list' : 'resources/templates/list';
    const field = kind === 'resources' ? 'uri' : 'uriTemplate';
    const lists = await Promise.all(
      this.servers().map(async (server) => ({ server, items: await this.listAll(server, method, kind) })),
    );
    if (this.mode() === 'as-is') this.remember(kind, lists, field);
    return lists.flatMap(({ server, items }) =>
      items
        .filter(
          (r) =>
            kind === 'resourceTemplates' ||
            this.mode() === 'prefixed' ||
            this.owners.get(String(r.uri)) === server,
        )
        .map((r) => ({ ...r, [field]: this.toClient(server, String(r[field])) })),
    );
  }

  /** A server's URI as clients see it. */
  toClient(server: string, uri: string): string {
    return this.mode() === 'prefixed' ? clientUri(server, uri) : uri;
  }

  /** The server and its own URI (or URI template) behind a client's. */
  async resolve(uri: string): Promise<{ server: string; uri: string }> {
    if (this.mode() === 'prefixed') {
      const hit = parseClientUri(uri);
      if (hit === undefined || !this.servers().includes(hit.server))
        throw invalidParams(
          `Unknown resource: ${uri} (the gateway's resource URIs start with mcp-gateway://<server>/)`,
        );
      return hit;
    }
    const only = this.servers();
    if (only.length === 1) return { server: only[0] as string, uri };
    const found = this.ownerOf(uri) ?? (await this.relist().then(() => this.ownerOf(uri)));
    if (found === undefined)
      throw invalidParams(`Unknown resource: ${uri} (no server lists it or a template that matches it)`);
    return { server: found, uri };
  }

  private ownerOf(uri: string): string | undefined {
    return (
      this.owners.get(uri) ??
      this.templates.find((t) => t.raw === uri || t.template.match(uri) !== null)?.server
    );
  }

  private async relist(): Promise<void> {
    await Promise.all([this.list('resources'), this.list('resourceTemplates')]);
  }

  private remember(
    kind: 'resources' | 'resourceTemplates',
    lists: { server: string; items: Item[] }[],
    field: string,
  ): void {
    if (kind === 'resourceTemplates') {
      this.templates = lists.flatMap(({ server, items }) =>
        items.flatMap((r) => {
          try {
            return [{ server, raw: String(r[field]), template: new UriTemplate(String(r[field])) }];
          } catch {
            return []; // a template the SDK cannot parse cannot route either
          }
        }),
      );
      return;
    }
    const owners = new Map<string, string>();
    const claims = new Map<string, string[]>();
    for (const { server, items } of lists) {
      for (const r of items) {
        const uri = String(r[field]);
        if (!owners.has(uri)) owners.set(uri, server);
        claims.set(uri, [...(claims.get(uri) ?? []), server]);
      }
    }
    for (const [uri, who] of claims) if (who.length > 1) this.onCollision(uri, who);
    this.owners = owners;
  }
}
