/**
 * Putting a Toxiproxy proxy in front of one endpoint, with a relay where it needs one: an HTTP endpoint's
 * proxy forwards to the server, or to an HTTP relay in front of it (`mcp` faults, execution log); a stdio
 * endpoint's proxy forwards to a stdio relay that runs the real server, and the manager reaches it through
 * a bridge (`target.bridge`). Afterwards `target.http.url` points at the proxy.
 */
import type { Clock } from '../../core/clock.js';
import { type HttpRelay, type StdioRelay, startHttpRelay, startStdioRelay } from '../../relay/index.js';
import type { RunLogEntry } from './run-options.js';
import type { Target } from './targets.js';
import type { ToxiproxyControl } from './toxiproxy-control.js';

export interface PlacedProxy {
  name: string;
  relay?: HttpRelay | StdioRelay;
}

export async function placeProxy(
  t: Target,
  o: {
    control: ToxiproxyControl;
    name: string;
    relayHttp: boolean;
    clock: Clock;
    log: (e: RunLogEntry) => void;
  },
): Promise<PlacedProxy> {
  const { control, name, clock } = o;
  if (t.stdio) {
    const relay = await startStdioRelay({
      command: t.stdio.command,
      env: t.stdio.env,
      ...(t.stdio.cwd ? { cwd: t.stdio.cwd } : {}),
      clock,
    });
    const created = await control.createProxy(name, `${relay.host}:${relay.port}`);
    t.bridge = { host: created.host, port: created.port };
    o.log({ level: 'debug', msg: 'stdio relay and proxy created', fields: { endpoint: t.id, proxy: name } });
    return { name, relay };
  }
  const http = t.http as NonNullable<Target['http']>;
  const relay = o.relayHttp
    ? await startHttpRelay({ upstream: { host: http.host, port: http.port }, clock })
    : undefined;
  const created = await control.createProxy(
    name,
    relay ? `${relay.host}:${relay.port}` : `${http.host}:${http.port}`,
  );
  const u = new URL(http.url);
  u.hostname = created.host;
  u.port = String(created.port);
  t.http = { ...http, url: u.toString() };
  o.log({
    level: 'debug',
    msg: 'proxy created',
    fields: { endpoint: t.id, proxy: name, listen: `${created.host}:${created.port}` },
  });
  return relay ? { name, relay } : { name };
}
