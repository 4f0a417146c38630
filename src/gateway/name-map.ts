/**
 * How a server's tools, prompts and resources are named to the gateway's clients, and back. Tool and
 * prompt names follow the `toolNames` template (`{server}__{tool}` by default; `{tool}` alone keeps the
 * server's names, when no two servers share one). Resource URIs and URI templates are prefixed with
 * `mcp-gateway://<server>/` (reversible whatever the server's URI looks like). A client name that two
 * servers' items would both take is a collision: the first claim keeps it, the caller reports the others
 * (a warning, at start and later alike: catalog-skips.ts).
 */

/** One server's item (tool or prompt), named to clients. */
export interface MappedName {
  server: string;
  /** The server's own name. */
  name: string;
}

export interface NameIndex {
  /** Client name → the server's item. */
  byClientName: Map<string, MappedName>;
  /** Client names two or more items would take, with who claims them (`server/name`). */
  collisions: { clientName: string; claimedBy: string[] }[];
}

/** The client-facing name of `server`'s item `name`. */
export function clientName(template: string, server: string, name: string): string {
  return template.replace('{server}', server).replace('{tool}', name);
}

/** Indexes every item under its client name; a name claimed twice is a collision (first claim kept). */
export function buildNameIndex(template: string, items: readonly MappedName[]): NameIndex {
  const byClientName = new Map<string, MappedName>();
  const claims = new Map<string, string[]>();
  for (const item of items) {
    const key = clientName(template, item.server, item.name);
    const who = `${item.server}/${item.name}`;
    const seen = claims.get(key);
    if (seen === undefined) {
      claims.set(key, [who]);
      byClientName.set(key, item);
    } else seen.push(who);
  }
  const collisions = [...claims]
    .filter(([, who]) => who.length > 1)
    .map(([name, who]) => ({ clientName: name, claimedBy: who }));
  return { byClientName, collisions };
}

/**
 * The server and item a client name stands for, by the template alone (for names not yet in an index:
 * a tool added since the last listing, or one the server does not have — it answers that itself).
 * Without `{server}` in the template only a one-server fleet can tell; undefined when nothing fits.
 */
export function parseClientName(
  template: string,
  servers: readonly string[],
  name: string,
): MappedName | undefined {
  if (!template.includes('{server}')) {
    // names as the server gives them: with one server the name is its to judge (it answers an unknown
    // tool as it would directly); with several, nothing says whose it is
    if (servers.length !== 1) return undefined;
    const [before, after] = template.split('{tool}') as [string, string];
    if (!name.startsWith(before) || !name.endsWith(after) || name.length <= before.length + after.length)
      return undefined;
    return { server: servers[0] as string, name: name.slice(before.length, name.length - after.length) };
  }
  const [before, after] = template.split('{tool}') as [string, string];
  // longest server names first, so `a__b` wins over `a` where both fit
  for (const server of [...servers].sort((a, b) => b.length - a.length)) {
    const prefix = before.replace('{server}', server);
    const suffix = after.replace('{server}', server);
    if (name.startsWith(prefix) && name.endsWith(suffix) && name.length > prefix.length + suffix.length) {
      return { server, name: name.slice(prefix.length, name.length - suffix.length) };
    }
  }
  return undefined;
}

const RESOURCE_PREFIX = 'mcp-gateway://';

/** A server's resource URI (or URI template) as clients see it. */
export function clientUri(server: string, uri: string): string {
  return `${RESOURCE_PREFIX}${encodeURIComponent(server)}/${uri}`;
}

/** The server and its own URI behind a client's resource URI; undefined when it is not one of ours. */
export function parseClientUri(uri: string): { server: string; uri: string } | undefined {
  if (!uri.startsWith(RESOURCE_PREFIX)) return undefined;
  const rest = uri.slice(RESOURCE_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  try {
    return { server: decodeURIComponent(rest.slice(0, slash)), uri: rest.slice(slash + 1) };
  } catch {
    return undefined;
  }
}
