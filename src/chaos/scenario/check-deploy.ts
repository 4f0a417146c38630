/**
 * What a `deploy:` fault may change depends on the server it targets: a mock takes mock fields (not its
 * transport), a spawned server takes command / env / url, an existing server takes a url; any of them a
 * new replica count, which needs the whole server as the target. A deploy that changes nothing is an error.
 */
import type { Finding } from './problem.js';
import type { DeploySpec, Fault, ScenarioServer } from './types.js';

const SPEC_KEYS = ['mock', 'command', 'env', 'url'] as const;

/** Which spec fields each kind of server takes, and what to say when another is given. */
const ALLOWED: Record<ScenarioServer['kind'], { keys: readonly string[]; what: string }> = {
  mock: { keys: ['mock'], what: 'a mock server: deploy its mock fields' },
  command: { keys: ['command', 'env', 'url'], what: 'a spawned server: deploy command, env or url' },
  existing: { keys: ['url'], what: 'an existing server (url only): deploy a url' },
};

export function checkDeploy(f: Fault, d: DeploySpec, server: ScenarioServer, out: Finding[]): void {
  const path = ['faults', f.index, 'deploy'];
  const given = SPEC_KEYS.filter((k) => d[k] !== undefined);
  const allowed = ALLOWED[server.kind];
  for (const k of given) {
    if (!allowed.keys.includes(k)) {
      out.push({ path: [...path, k], message: `${server.name} is ${allowed.what}, not ${k}`, at: 'key' });
    }
  }
  if (given.length === 0 && d.replicas === undefined) {
    out.push({
      path,
      message: `the deploy changes nothing: give the new version (${allowed.keys.join(', ')}) or replicas`,
    });
  }
  if (server.kind === 'command' && server.transport === 'stdio' && d.url !== undefined) {
    out.push({ path: [...path, 'url'], message: `${server.name} uses stdio: it has no url`, at: 'key' });
  }
  if (d.mock && 'transport' in d.mock) {
    out.push({
      path: [...path, 'mock', 'transport'],
      message: 'a deploy cannot change the transport (a new server, not a new version)',
      at: 'key',
    });
  }
  if (d.replicas !== undefined && f.target.selector.kind !== 'all') {
    out.push({
      path: [...path, 'replicas'],
      message: `replicas changes the whole server: target "${f.target.server}", not "${f.target.source}"`,
      at: 'key',
    });
  }
}
