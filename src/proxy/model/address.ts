/**
 * host:port handling with Go's rules (`net.SplitHostPort`), used for `listen` and `upstream` addresses.
 */

/** A split address; `error` is Go's text when the address cannot be split. */
export type SplitAddress = { host: string; port: string; error?: undefined } | { error: string };

/** Splits `host:port` / `[v6]:port` exactly like Go's net.SplitHostPort. */
export function splitHostPort(address: string): SplitAddress {
  const fail = (why: string): SplitAddress => ({ error: `address ${address}: ${why}` });
  const colon = address.lastIndexOf(':');
  if (colon < 0) return fail('missing port in address');
  let host: string;
  let j = 0;
  let k = 0;
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    if (end < 0) return fail("missing ']' in address");
    if (end + 1 === address.length) return fail('missing port in address');
    if (end + 1 !== colon) {
      return fail(address[end + 1] === ':' ? 'too many colons in address' : 'missing port in address');
    }
    host = address.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = address.slice(0, colon);
    if (host.includes(':')) return fail('too many colons in address');
  }
  if (address.slice(j).includes('[')) return fail("unexpected '[' in address");
  if (address.slice(k).includes(']')) return fail("unexpected ']' in address");
  return { host, port: address.slice(colon + 1) };
}

/** A resolved address to bind or dial. */
export type HostPort = { host: string; port: number; error?: undefined } | { error: string };

/**
 * Resolves an address for binding: `localhost` and an empty host become 127.0.0.1 (we never bind every
 * interface unless asked to by an explicit 0.0.0.0 / ::), an empty port is 0 (ephemeral), and an empty
 * address (a proxy created without `listen`) is 127.0.0.1:0.
 */
export function resolveListen(address: string): HostPort {
  if (address === '') return { host: '127.0.0.1', port: 0 }; // Go: "" listens on an ephemeral port
  const split = splitHostPort(address);
  if (split.error !== undefined) return split;
  const port = parsePort(split.port);
  if (typeof port === 'string') return { error: port };
  const host = split.host === '' || split.host.toLowerCase() === 'localhost' ? '127.0.0.1' : split.host;
  return { host, port };
}

/** Resolves an upstream address for dialing (the host is left to DNS; an empty host means 127.0.0.1). */
export function resolveUpstream(address: string): HostPort {
  const split = splitHostPort(address);
  if (split.error !== undefined) return split;
  const port = parsePort(split.port);
  if (typeof port === 'string') return { error: port };
  return { host: split.host === '' ? '127.0.0.1' : split.host, port };
}

function parsePort(port: string): number | string {
  if (port === '') return 0;
  if (!/^\d+$/.test(port)) return `lookup tcp/${port}: unknown port`;
  const n = Number(port);
  if (n > 65535) return `address ${port}: invalid port`;
  return n;
}

/** Formats host and port as Go does (`[::1]:80` for IPv6). */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The canonical form of a listen address for comparisons (populate's "same proxy" check). */
export function canonicalListen(address: string): string {
  const r = resolveListen(address);
  return r.error === undefined ? formatAddress(r.host, r.port) : address;
}
