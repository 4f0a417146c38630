/**
 * The manager's read-only registry: servers, their endpoints and tags, and each server's effective
 * settings. Built once from the options; entries are frozen plain objects.
 */
import type { ResilienceSettings } from '../types.js';
import type { ServerEntry } from './server-entry.js';

export interface EndpointInfo {
  readonly id: string;
  readonly server: string;
  readonly index: number;
  readonly transport: 'http' | 'sse' | 'stdio';
  readonly url?: string;
  readonly command?: readonly string[];
  readonly weight: number;
}

export interface ServerInfo {
  readonly name: string;
  readonly tags: readonly string[];
  /** Effective settings: defaults ← manager-wide ← this server's overrides. */
  readonly settings: Readonly<ResilienceSettings>;
  readonly endpoints: readonly EndpointInfo[];
}

export class ManagerRegistry {
  private readonly byName = new Map<string, ServerInfo>();
  private readonly byEndpoint = new Map<string, EndpointInfo>();

  constructor(entries: readonly ServerEntry[]) {
    for (const s of entries) {
      const endpoints = s.endpoints.map((e) => {
        const info: EndpointInfo = {
          id: e.id,
          server: s.name,
          index: e.index,
          transport: e.spec.transport,
          weight: e.weight,
          ...(e.spec.url !== undefined ? { url: e.spec.url } : {}),
          ...(e.spec.command !== undefined ? { command: Object.freeze([...e.spec.command]) } : {}),
        };
        Object.freeze(info);
        this.byEndpoint.set(e.id, info);
        return info;
      });
      const info: ServerInfo = Object.freeze({
        name: s.name,
        tags: Object.freeze([...s.tags]),
        settings: deepFreeze(structuredClone(s.settings)),
        endpoints: Object.freeze(endpoints),
      });
      this.byName.set(s.name, info);
    }
  }

  /** Every server, in configuration order. */
  servers(): ServerInfo[] {
    return [...this.byName.values()];
  }

  server(name: string): ServerInfo | undefined {
    return this.byName.get(name);
  }

  /** Every endpoint, or those of one server. */
  endpoints(server?: string): EndpointInfo[] {
    if (server === undefined) return [...this.byEndpoint.values()];
    return [...(this.byName.get(server)?.endpoints ?? [])];
  }

  endpoint(id: string): EndpointInfo | undefined {
    return this.byEndpoint.get(id);
  }

  /** Servers carrying `tag`. */
  withTag(tag: string): ServerInfo[] {
    return this.servers().filter((s) => s.tags.includes(tag));
  }

  /** Every tag in use, sorted. */
  tags(): string[] {
    return [...new Set(this.servers().flatMap((s) => s.tags))].sort();
  }
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
