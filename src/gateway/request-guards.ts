/**
 * The checks every `/mcp` and `/metrics` request passes before anything else: Host and Origin against
 * the allowed lists (DNS rebinding: a browser page on another site reaching a loopback gateway) and the
 * bearer token (compared in constant time; never logged). Each answers with the status a client gets.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface GuardRefusal {
  status: 401 | 403;
  message: string;
  headers?: Record<string, string>;
}

/** The hostname of a Host header (port removed, IPv6 brackets kept), lower case. */
export function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
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

/** Host, then Origin, then token; undefined when the request may go on. */
export function checkRequest(
  headers: IncomingHttpHeaders,
  allowedHosts: readonly string[],
  allowedOrigins: readonly string[],
  tokens: TokenCheck,
): GuardRefusal | undefined {
  const host = headers.host;
  if (host === undefined || !allowedHosts.map((h) => h.toLowerCase()).includes(hostnameOf(host))) {
    return { status: 403, message: `Host ${JSON.stringify(host ?? '')} is not allowed` };
  }
  const origin = headers.origin;
  if (origin !== undefined && !originAllowed(origin, allowedOrigins)) {
    return { status: 403, message: `Origin ${JSON.stringify(origin)} is not allowed` };
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
