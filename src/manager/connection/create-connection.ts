/** Validates an endpoint and builds the matching {@link EndpointConnection}. */

import type { ConnectionEndpoint, ConnectionOptions, EndpointConnection } from './endpoint-connection.js';
import { HttpConnection } from './http-connection.js';
import { resolveConnectionOptions } from './options.js';
import { StdioConnection } from './stdio-connection.js';

/**
 * Creates a connection (nothing is opened until `connect()` or the first request).
 * Throws RangeError quoting a bad endpoint or option value.
 */
export function createConnection(
  endpoint: ConnectionEndpoint,
  options: ConnectionOptions = {},
): EndpointConnection {
  if (!endpoint || typeof endpoint !== 'object')
    throw new RangeError(`endpoint must be an object, got ${String(endpoint)}`);
  const { id, transport } = endpoint;
  if (typeof id !== 'string' || id.length === 0)
    throw new RangeError(`endpoint.id must be a non-empty string, got ${JSON.stringify(id)}`);
  const opts = resolveConnectionOptions(options);
  if (transport === 'http' || transport === 'sse') {
    if (endpoint.command !== undefined)
      throw new RangeError(`endpoint ${id}: ${transport} takes a url, not a command`);
    let url: URL;
    try {
      url = new URL(endpoint.url ?? '');
    } catch {
      throw new RangeError(
        `endpoint ${id}: url must be an absolute http(s) URL, got ${JSON.stringify(endpoint.url)}`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new RangeError(`endpoint ${id}: url must be http(s), got ${JSON.stringify(endpoint.url)}`);
    }
    return new HttpConnection(id, url, transport === 'sse', opts, endpoint.headers);
  }
  if (transport === 'stdio') {
    const cmd = endpoint.command;
    if (endpoint.url !== undefined) throw new RangeError(`endpoint ${id}: stdio takes a command, not a url`);
    if (
      !Array.isArray(cmd) ||
      cmd.length === 0 ||
      !cmd.every((a) => typeof a === 'string') ||
      cmd[0] === ''
    ) {
      throw new RangeError(
        `endpoint ${id}: command must be a non-empty argv array of strings, got ${JSON.stringify(cmd)}`,
      );
    }
    if (endpoint.restart !== undefined && typeof endpoint.restart !== 'boolean') {
      throw new RangeError(
        `endpoint ${id}: restart must be a boolean, got ${JSON.stringify(endpoint.restart)}`,
      );
    }
    return new StdioConnection({ ...endpoint, command: [...cmd] }, opts);
  }
  throw new RangeError(`endpoint ${id}: transport must be http|sse|stdio, got ${JSON.stringify(transport)}`);
}
