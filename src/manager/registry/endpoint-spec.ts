/**
 * Normalised endpoint descriptions: ids (`<server>[<index>]` unless configured), transports defaulted
 * (url → http, command → stdio), and the shape checked. Bad configs throw RangeError quoting the value.
 */
import type { EndpointConfig, EndpointSettings, ServerConfig } from '../types.js';

export interface EndpointSpec {
  id: string;
  server: string;
  index: number;
  transport: 'http' | 'sse' | 'stdio';
  url?: string;
  /** http/sse: headers sent with every request. */
  headers?: Record<string, string>;
  command?: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Weighted balancer weight (> 0, default 1). */
  weight: number;
  /** Restart a dead stdio child (default true). */
  restart: boolean;
  /** The endpoint's own overrides of its server's attempt/idle timeouts and Retry-After mode. */
  settings?: Partial<EndpointSettings>;
}

const ENDPOINT_SETTING_KEYS: ReadonlySet<string> = new Set([
  'attemptTimeoutMs',
  'idleTimeoutMs',
  'connectTimeoutMs',
  'retryAfter',
  'maxResponseBytes',
]);

/** The endpoints of `server`, normalised. */
export function endpointSpecs(server: ServerConfig): EndpointSpec[] {
  if (!Array.isArray(server.endpoints) || server.endpoints.length === 0) {
    throw new RangeError(`server "${server.name}" needs at least one endpoint`);
  }
  return server.endpoints.map((e, index) => endpointSpec(server.name, index, e));
}

/** One endpoint of `server` at `index`, normalised (RangeError quoting a bad value). */
export function endpointSpec(server: string, index: number, e: EndpointConfig): EndpointSpec {
  const id = e.id ?? `${server}[${index}]`;
  const hasUrl = typeof e.url === 'string';
  const hasCommand = Array.isArray(e.command);
  if (hasUrl === hasCommand) {
    throw new RangeError(`endpoint ${id} needs exactly one of url or command, got ${JSON.stringify(e)}`);
  }
  const transport = e.transport ?? (hasUrl ? 'http' : 'stdio');
  if (transport === 'stdio' && !hasCommand)
    throw new RangeError(`endpoint ${id}: transport stdio needs command`);
  if (transport !== 'stdio' && !hasUrl)
    throw new RangeError(`endpoint ${id}: transport ${transport} needs url`);
  if (hasCommand && (e.command as string[]).length === 0)
    throw new RangeError(`endpoint ${id}: command is empty`);
  const weight = e.weight ?? 1;
  if (!(weight > 0) || !Number.isFinite(weight))
    throw new RangeError(`endpoint ${id}: weight must be > 0, got ${weight}`);
  const spec: EndpointSpec = { id, server, index, transport, weight, restart: e.restart ?? true };
  if (hasUrl) {
    try {
      new URL(e.url as string);
    } catch {
      throw new RangeError(`endpoint ${id}: invalid url "${e.url}"`);
    }
    spec.url = e.url as string;
  }
  if (e.headers !== undefined) {
    if (!hasUrl) throw new RangeError(`endpoint ${id}: headers go with a url`);
    for (const [k, v] of Object.entries(e.headers)) {
      if (typeof v !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k))
        throw new RangeError(
          `endpoint ${id}: header ${JSON.stringify(k)} must be a valid name with a string value`,
        );
    }
    spec.headers = { ...e.headers };
  }
  if (hasCommand) spec.command = [...(e.command as string[])];
  if (e.env) spec.env = { ...e.env };
  if (e.cwd) spec.cwd = e.cwd;
  if (e.settings !== undefined) {
    if (e.settings === null || typeof e.settings !== 'object' || Array.isArray(e.settings))
      throw new RangeError(`endpoint ${id}: settings must be an object, got ${JSON.stringify(e.settings)}`);
    for (const k of Object.keys(e.settings)) {
      if (!ENDPOINT_SETTING_KEYS.has(k))
        throw new RangeError(
          `endpoint ${id}: settings.${k} is not an endpoint setting (${[...ENDPOINT_SETTING_KEYS].join(', ')})`,
        );
    }
    spec.settings = { ...e.settings };
  }
  return spec;
}
