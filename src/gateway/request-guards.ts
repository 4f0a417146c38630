/**
 * The checks every `/mcp` and `/metrics` request passes before anything else: Host and Origin against
 * the allowed lists (DNS rebinding: a browser page on another site reaching a loopback gateway) and the
 * bearer token (compared in constant time; never logged). Each answers with the status a client gets.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface GuardRefusal {
  status: 400 | 401 | 403;
  message: string;
  headers?: Record<string, string>;
}

/** A Host header's hostname: a DNS name or IPv4 address, or an IPv6 literal in brackets. */
const HOST = /^(?:([a-z0-9](?:[a-z0-9._-]{0,251}[a-z0-9])?)|(\[[0-9a-f:.]{2,45}\]))(?::(\d{1,5}))?$/;

/**
 * The hostname of a Host header (port removed, IPv6 brackets kept), lower case; undefined when the header
 * is malformed (anything after an IPv6 literal but a port, characters outside a hostname, a port out of
 * range): such a request is refused with 400, never matched against the allowed list.
 */
export function hostnameOf(host: string): string | undefined {
  const m = HOST.exec(host.trim().toLowerCase());
  if (m === null) return undefined;
  if (m[3] !== undefined && Number(m[3]) > 65535) return undefined;
  return m[1] ?? m[2];
}

/** Headers a request must carry at most once (a second one could make two readers disagree). */
const SINGLE = ['host', 'authorization'];

/** The first of {@link SINGLE} that appears more than once in raw headers (name/value pairs), if any. */
export function duplicateHeader(rawHeaders: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    if (!SINGLE.includes(name)) continue;
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

/** Whether `origin` fits a pattern: exact, or with `*` for the port (`http://localhost:*`). */
export function originAllowed(origin: string, patterns: readonly string[]): boolean {
  const o = origin.toLowerCase();
  return patterns.some((p) => {
    const pat = p.toLowerCase();
    if (!pat.endsWith(':*')) return o === pat;
    const base = pat.slice(0, -2);
    return o === base || (o.startsWith(`${base}:`) && /^\d+$/.test(o.slice(base.length + 1)));
  });
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Bearer token check over fixed-length digests (no early exit on a matching prefix or length). */
export class TokenCheck {
  private readonly digests: Buffer[];
  constructor(tokens: readonly string[]) {
    this.digests = tokens.map(digest);
  }

  get enabled(): boolean {
    return this.digests.length > 0;
  }

  /** The index of the matching token (for a per-client key), or -1. */
  match(authorization: string | undefined): number {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const given = digest(m?.[1] ?? '');
    let found = -1;
    this.digests.forEach((d, i) => {
      if (timingSafeEqual(d, given) && m !== null) found = i;
    });
    return found;
  }
}

/**
 * Duplicate Host or Authorization headers and a malformed Host (400), then Host, then Origin (403), then
 * token (401); undefined when the request may go on. `rawHeaders` as Node gives them (duplicates kept).
 */
export function checkRequest(
  headers: IncomingHttpHeaders,
  allowedHosts: readonly string[],
  allowedOrigins: readonly string[],
  tokens: TokenCheck,
  rawHeaders: readonly string[] = [],
): GuardRefusal | undefined {
  const twice = duplicateHeader(rawHeaders);
  if (twice !== undefined) return { status: 400, message: `more than one ${twice} header` };
  const host = headers.host;
  const hostname = host === undefined ? undefined : hostnameOf(host);
  if (host !== undefined && hostname === undefined)
    return { status: 400, message: `malformed Host ${JSON.stringify(host.slice(0, 100))}` };
  if (hostname === undefined || !allowedHosts.map((h) => h.toLowerCase()).includes(hostname)) {
    return { status: 403, message: `Host ${JSON.stringify(host ?? '')} is not allowed` };
  }
  const origin = headers.origin;
  if (origin !== undefined && !originAllowed(origin, allowedOrigins)) {
    return { status: 403, message: `Origin ${JSON.stringify(origin.slice(0, 200))} is not allowed` };
  }
  if (tokens.enabled && tokens.match(headers.authorization) < 0) {
    return {
      status: 401,
      message: headers.authorization === undefined ? 'a bearer token is required' : 'invalid bearer token',
      headers: { 'www-authenticate': 'Bearer realm="mcp-chaos-gateway"' },
    };
  }
  return undefined;
}

/** The kind of a refusal, as `/metrics` counts it (`refusals{reason}`). */
export function refusalReason(r: GuardRefusal): 'auth' | 'host' | 'origin' | 'headers' {
  if (r.status === 401) return 'auth';
  if (r.status === 400) return r.message.startsWith('malformed Host') ? 'host' : 'headers';
  return r.message.startsWith('Host') ? 'host' : 'origin';
}
