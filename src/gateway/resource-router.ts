/**
 * Resource URIs between clients and servers. `prefixed` (default): every URI and URI template is shown as
 * `mcp-gateway://<server>/<uri>` and the prefix names the owner. `as-is`: servers' URIs are shown
 * unchanged and the owner of a URI is found from the listings — an exact resource first, then a template
 * that matches it, else the only server; a URI two servers list is a collision (the first keeps it).
 *
 * A URI without the prefix under `prefixed` — one a client got from somewhere else, or kept from before —
 * goes to the one server that owns it by the same rule (listed exactly, else one server's template matches,
 * else the only server); when several do, it is refused naming them (the prefixed form says which).
 */
import { UriTemplate } from '@modelcontextprotocol/server';
import { invalidParams } from './gateway-errors.js';
import { clientUri, parseClientUri } from './name-map.js';

export type ResourceUriMode = 'prefixed' | 'as-is';
type Item = Record<string, unknown>;
export type ListAll = (server: string, method: string, field: string) => Promise<Item[]>;

export class ResourceRouter {
  /** URI → every server that lists it (listing order), and each server's templates (refreshed by every listing). */
  private claims = new Map<string, string[]>();
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
    this.remember(kind, lists, field);
    return lists.flatMap(({ server, items }) =>
      items
        .filter(
          (r) =>
            kind === 'resourceTemplates' ||
            this.mode() === 'prefixed' ||
            this.claims.get(String(r.uri))?.[0] === server,
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
    const prefixed = this.mode() === 'prefixed';
    if (prefixed) {
      const hit = parseClientUri(uri);
      if (hit !== undefined && this.servers().includes(hit.server)) return hit;
    }
    const only = this.servers();
    if (only.length === 1) return { server: only[0] as string, uri };
    const owners = this.ownersOf(uri) ?? (await this.relist().then(() => this.ownersOf(uri)));
    if (owners === undefined)
      throw invalidParams(
        prefixed
          ? `Unknown resource: ${uri} (the gateway's resource URIs start with mcp-gateway://<server>/, and no server lists this one or a template that matches it)`
          : `Unknown resource: ${uri} (no server lists it or a template that matches it)`,
      );
    // as-is: the first claimant keeps a collided URI (reported when listed); prefixed: the prefix says which
    if (owners.length > 1 && prefixed)
      throw invalidParams(
        `Ambiguous resource: ${uri} belongs to ${owners.join(', ')}: name it as mcp-gateway://<server>/${uri}`,
      );
    return { server: owners[0] as string, uri };
  }

  /** Who owns a URI: the servers listing it exactly, else those with a template matching it. */
  private ownersOf(uri: string): string[] | undefined {
    const exact = this.claims.get(uri);
    if (exact !== undefined) return exact;
    const matching = [
      ...new Set(
        this.templates.filter((t) => t.raw === uri || t.template.match(uri) !== null).map((t) => t.server),
      ),
    ];
    return matching.length > 0 ? matching : undefined;
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
    const claims = new Map<string, string[]>();
    for (const { server, items } of lists) {
      for (const r of items) {
        const uri = String(r[field]);
        const who = claims.get(uri);
        if (who === undefined) claims.set(uri, [server]);
        else if (!who.includes(server)) who.push(server);
      }
    }
    if (this.mode() === 'as-is')
      for (const [uri, who] of claims) if (who.length > 1) this.onCollision(uri, who);
    this.claims = claims;
  }
}
