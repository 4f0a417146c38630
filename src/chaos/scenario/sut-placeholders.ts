/**
 * Placeholders of a gateway under test, in its command, url, env and config text: `{port}` (a free
 * loopback port), `{config}` (the path of the config file written from `config`), `{token}` (a random
 * bearer token the load's client also sends), `{upstreams:S}` (a JSON array of the proxied URLs of every
 * replica of server S) and `{upstream:S[i]}` (one replica's proxied URL). Other braces are left alone
 * (a config text is often JSON).
 */

export const SUT_PLACEHOLDER = /\{(port|config|token|upstreams:[^{}]*|upstream:[^{}]*)\}/g;

export type SutPlaceholder =
  | { kind: 'port' | 'config' | 'token' }
  | { kind: 'upstreams'; server: string }
  | { kind: 'upstream'; server: string; replica: number };

/** The placeholders of `text`, or a message for the first malformed one. */
export function sutPlaceholders(text: string): SutPlaceholder[] | string {
  const out: SutPlaceholder[] = [];
  for (const m of text.matchAll(SUT_PLACEHOLDER)) {
    const body = m[1] as string;
    if (body === 'port' || body === 'config' || body === 'token') out.push({ kind: body });
    else if (body.startsWith('upstreams:')) out.push({ kind: 'upstreams', server: body.slice(10) });
    else {
      const r = /^upstream:([^[\]]+)\[(\d+)\]$/.exec(body);
      if (!r) return `{${body}}: write {upstream:SERVER[INDEX]}, e.g. {upstream:weather[0]}`;
      out.push({ kind: 'upstream', server: r[1] as string, replica: Number(r[2]) });
    }
  }
  return out;
}

export interface SutValues {
  port?: number;
  config?: string;
  token: string;
  /** server → the proxied URLs of its replicas, in replica order. */
  upstreams: ReadonlyMap<string, readonly string[]>;
}

/** Fills every placeholder of `text` (RangeError naming one that has no value). */
export function fillSutPlaceholders(text: string, v: SutValues): string {
  return text.replace(SUT_PLACEHOLDER, (whole, body: string) => {
    if (body === 'port' || body === 'config') {
      const value = v[body];
      if (value === undefined) throw new RangeError(`${whole} has no value here`);
      return String(value);
    }
    if (body === 'token') return v.token;
    if (body.startsWith('upstreams:')) {
      const urls = v.upstreams.get(body.slice(10));
      if (!urls) throw new RangeError(`${whole}: no such HTTP server`);
      return JSON.stringify(urls);
    }
    const r = /^upstream:([^[\]]+)\[(\d+)\]$/.exec(body);
    const url = r ? v.upstreams.get(r[1] as string)?.[Number(r[2])] : undefined;
    if (url === undefined) throw new RangeError(`${whole}: no such replica`);
    return url;
  });
}
