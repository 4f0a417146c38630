/**
 * What a black-box system under test (`sut: gateway`) allows: a url for an HTTP gateway (none for stdio),
 * placeholders that name HTTP servers and replicas that exist, only invariants judged from outside
 * (`blackBox` in the registry), placeholders on HTTP servers only (a stdio server has no URL; it is a warning,
 * as a `manager:` section is — both start or configure nothing here — and process faults on it are errors), deploys that replace replicas
 * behind their URLs but never scale (the gateway's upstream list is fixed).
 */
import { getInvariant, invariantNames } from '../invariants/index.js';
import type { Draft } from './draft.js';
import type { Finding } from './problem.js';
import { sutPlaceholders } from './sut-placeholders.js';
import type { PathSegment } from './yaml-locate.js';

export function checkSut(d: Draft, out: Finding[]): void {
  const sut = d.sut;
  if (sut.kind !== 'gateway') return;
  const at: PathSegment[] = ['sut', 'gateway'];
  if (sut.transport === 'http' && sut.url === undefined)
    out.push({
      path: at,
      message: 'an HTTP gateway needs url: where it serves MCP, e.g. http://127.0.0.1:{port}/mcp',
    });
  if (sut.transport === 'stdio' && sut.url !== undefined)
    out.push({
      path: [...at, 'url'],
      message: 'a stdio gateway takes no url: the load speaks MCP on its stdin/stdout',
      at: 'key',
    });
  const texts: Array<[PathSegment[], string]> = sut.command.map((a, i) => [[...at, 'command', i], a]);
  if (sut.url !== undefined) texts.push([[...at, 'url'], sut.url]);
  if (sut.config !== undefined) texts.push([[...at, 'config'], sut.config]);
  for (const [k, v] of Object.entries(sut.env)) texts.push([[...at, 'env', k], v]);
  for (const [path, text] of texts) checkPlaceholders(d, path, text, out);

  // Warnings, not errors: the contract's own example has both (they configure or start nothing here).
  if (d.hasManager) {
    out.push({
      path: ['manager'],
      message:
        'configures the in-process manager, which a run with sut: gateway does not use — configure the gateway through sut.gateway.config',
      at: 'key',
      severity: 'warning',
    });
  }
  const stdio = new Set<string>();
  for (const [name, s] of d.servers) {
    if (!s || s.proxied) continue;
    stdio.add(name);
    out.push({
      path: ['servers', name],
      message: `${name} uses stdio: under sut: gateway nothing here spawns it (the gateway reaches servers by URL), so faults on it act on nothing`,
      at: 'key',
      severity: 'warning',
    });
  }
  for (const [i, f] of d.faults.entries()) {
    const target = d.faultTargets[i];
    if (f?.action.kind === 'process' && target && stdio.has(target.server))
      out.push({
        path: ['faults', i, 'process'],
        message: `${target.server} uses stdio and nothing spawns it under sut: gateway: there is no process to act on`,
        at: 'key',
      });
    if (f?.action.kind === 'deploy' && f.action.deploy.replicas !== undefined)
      out.push({
        path: ['faults', i, 'deploy', 'replicas'],
        message:
          "scaling is not supported under sut: gateway: the gateway's upstream list is fixed (replicas are replaced behind their URLs)",
        at: 'key',
      });
  }
  const allowed = blackBoxNames();
  for (const [i, inv] of d.invariants.entries()) {
    if (!inv || allowed.includes(inv.name)) continue;
    let known = true;
    try {
      getInvariant(inv.name);
    } catch {
      known = false; // the references check names it
    }
    if (!known) continue;
    out.push({
      path: ['invariants', i],
      message: `${inv.name} reads the manager's own state, which a black-box sut: gateway does not expose (allowed: ${allowed.join(', ')}, and every threshold)`,
    });
  }
}

function blackBoxNames(): string[] {
  return invariantNames.filter((n) => getInvariant(n).blackBox === true);
}

function checkPlaceholders(d: Draft, path: PathSegment[], text: string, out: Finding[]): void {
  const found = sutPlaceholders(text);
  if (typeof found === 'string') {
    out.push({ path, message: found });
    return;
  }
  for (const p of found) {
    if (p.kind !== 'upstreams' && p.kind !== 'upstream') continue;
    if (!d.servers.has(p.server)) {
      out.push({
        path,
        message: `{${p.kind}:${p.server}${p.kind === 'upstream' ? `[${p.replica}]` : ''}}: no server named ${p.server} (servers: ${[...d.servers.keys()].join(', ')})`,
      });
      continue;
    }
    if (d.servers.get(p.server)?.proxied === false) {
      out.push({
        path,
        message: `{${p.kind}:${p.server}…}: ${p.server} uses stdio: it has no URL to give the gateway`,
      });
      continue;
    }
    const replicas = d.replicas.get(p.server) ?? 1;
    if (p.kind === 'upstream' && p.replica >= replicas)
      out.push({
        path,
        message: `{upstream:${p.server}[${p.replica}]}: ${p.server} has ${replicas} replica(s), indexes 0–${replicas - 1}`,
      });
  }
}
