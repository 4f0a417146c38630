/**
 * `McpManager.reload(options)`: brings the running fleet to a new configuration, touching only what
 * changed. Everything is checked first — a config with any problem is rejected whole, with every problem,
 * and nothing changes. Then, per server:
 * - **new server**: built, its endpoints admitted like added ones (first good probe, slow start);
 * - **gone server**: every endpoint drains, then the server leaves (calls to it: UNKNOWN_SERVER);
 * - **kept server**: endpoints are matched by what they are (transport, url or command/env/cwd, weight,
 *   restart, own settings, explicit id): unmatched new ones are added, then unmatched old ones drain and
 *   leave; matched ones keep their connection, breaker, health and ejection state. Settings that shape the
 *   server's own parts (call timeout, balancer, retry, hedge, ejection, fleet, tags) are swapped in place;
 *   settings its endpoints are built from (breaker, pool, health, protocol, timeouts, answer size) change
 *   every endpoint: each is replaced by a new one built with them, one at a time, new before old.
 * Adds come before drains, so capacity never dips below the old fleet's.
 */
import { ChaosError, errorMessage } from '../../core/errors.js';
import { disposeAll } from '../../core/events.js';
import {
  buildServer,
  type EndpointEntry,
  type EndpointSpec,
  planServer,
  type ServerEntry,
  type ServerPlan,
  serverParts,
} from '../registry/index.js';
import type { ManagerOptions, ResilienceSettings } from '../types.js';
import type { FleetHost, LiveFleet } from './live-fleet.js';

/** Settings each endpoint's parts are built from: a change rebuilds every endpoint of the server. */
const ENDPOINT_LEVEL: ReadonlyArray<keyof ResilienceSettings> = [
  'breaker',
  'pool',
  'health',
  'attemptTimeoutMs',
  'idleTimeoutMs',
  'retryAfter',
  'maxResponseBytes',
  'protocol',
];

export interface ReloadResult {
  added: string[];
  removed: string[];
  /** Servers whose server-level settings or tags were swapped. */
  updated: string[];
  /** What could not be done (a new endpoint never admitted stops its server's change there). */
  failed: string[];
}

/** What an endpoint is, for matching across configurations. */
function identity(spec: EndpointSpec, explicitId: boolean): string {
  const { transport, url, command, env, cwd, weight, restart, settings } = spec;
  return JSON.stringify([
    explicitId ? spec.id : '',
    transport,
    url,
    command,
    env,
    cwd,
    weight,
    restart,
    settings,
  ]);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Checks every server of `options`; every problem, or the plans. */
function planAll(options: ManagerOptions): ServerPlan[] {
  const problems: string[] = [];
  if (!Array.isArray(options.servers) || options.servers.length === 0)
    problems.push('servers: McpManager needs at least one server');
  const names = new Set<string>();
  const ids = new Set<string>();
  const plans: ServerPlan[] = [];
  for (const [i, server] of (options.servers ?? []).entries()) {
    try {
      plans.push(planServer(options, server, names, ids));
      names.add(server.name);
    } catch (e) {
      const at = `servers[${i}]${server?.name ? ` (${server.name})` : ''}`;
      const each = (e as { details?: { problems?: unknown } }).details?.problems;
      if (Array.isArray(each)) for (const p of each) problems.push(`${at}: settings: ${String(p)}`);
      else problems.push(`${at}: ${errorMessage(e)}`);
    }
  }
  if (problems.length > 0) {
    throw new ChaosError(
      'INVALID_CONFIG',
      `invalid configuration, nothing changed:\n  ${problems.join('\n  ')}`,
      {
        details: { problems },
      },
    );
  }
  return plans;
}

export async function reloadFleet(
  host: FleetHost,
  live: LiveFleet,
  options: ManagerOptions,
): Promise<ReloadResult> {
  const plans = planAll(options);
  const fleet = host.fleet;
  const result: ReloadResult = { added: [], removed: [], updated: [], failed: [] };
  const wanted = new Map(plans.map((p) => [p.server.name, p]));
  const work: Promise<void>[] = [];
  for (const plan of plans) {
    const group = fleet.servers.get(plan.server.name);
    if (group === undefined) work.push(addServer(host, live, options, plan, result));
    else work.push(changeServer(host, live, options, group, plan, result));
  }
  for (const [name, group] of fleet.servers) {
    if (!wanted.has(name)) work.push(removeServer(host, live, group, result));
  }
  await Promise.all(work);
  return result;
}

async function addServer(
  host: FleetHost,
  live: LiveFleet,
  options: ManagerOptions,
  plan: ServerPlan,
  result: ReloadResult,
): Promise<void> {
  const group = buildServer(options, plan, host.deps, host.fleet, 'joining');
  host.changed();
  await Promise.all(
    group.endpoints.map(async (e) => {
      const why = await live.join(e, true);
      if (why === undefined) result.added.push(e.id);
      else result.failed.push(`${e.id}: not admitted: ${why}`);
    }),
  );
}

async function removeServer(host: FleetHost, live: LiveFleet, group: ServerEntry, result: ReloadResult) {
  await Promise.all(group.endpoints.map((e) => removeOne(live, e, result)));
  host.fleet.servers.delete(group.name);
  host.fleet.contexts.delete(group.name);
  disposeAll(group.disposables.splice(0));
  host.changed();
}

async function changeServer(
  host: FleetHost,
  live: LiveFleet,
  options: ManagerOptions,
  group: ServerEntry,
  plan: ServerPlan,
  result: ReloadResult,
): Promise<void> {
  const context = host.fleet.contexts.get(group.name);
  if (context === undefined) return;
  const old = group.settings;
  const next = plan.settings;
  const rebuildEndpoints = ENDPOINT_LEVEL.some((k) => !same(old[k], next[k]));
  if (!same(old, next) || !same(group.tags, plan.server.tags ?? [])) {
    context.settings = next;
    context.managerSettings = options.settings;
    context.serverSettings = plan.server.settings;
    if (
      !same(old.ejection, next.ejection) ||
      !same(old.balancer, next.balancer) ||
      !same(old.retry, next.retry) ||
      !same(old.hedge, next.hedge)
    ) {
      const parts = serverParts(
        group.name,
        next,
        group.endpoints.map((e) => e.id),
        host.deps,
        host.fleet,
      );
      disposeAll(group.disposables.splice(0));
      group.disposables.push(...parts.disposables);
      group.outlier = parts.outlier;
      context.outlier = parts.outlier;
      group.balancer = parts.balancer;
      group.retryBudget = parts.retryBudget;
      group.hedge = parts.hedge;
    }
    group.settings = next;
    group.counted = new Set(next.breaker.countedFailures);
    group.tags = plan.server.tags ?? [];
    result.updated.push(group.name);
    host.changed();
  }
  // Match endpoints by what they are; with endpoint-level settings changed, nothing matches.
  const explicit = new Set(plan.server.endpoints.flatMap((e, i) => (e.id !== undefined ? [i] : [])));
  const current = new Map<string, EndpointEntry[]>();
  if (!rebuildEndpoints) {
    for (const e of group.endpoints) {
      if (e.fleet.state === 'draining' || e.fleet.state === 'removed') continue;
      const key = identity(e.spec, e.spec.id !== `${group.name}[${e.index}]`);
      current.set(key, [...(current.get(key) ?? []), e]);
    }
  }
  const toAdd: number[] = [];
  for (const [i, spec] of plan.specs.entries()) {
    const matches = current.get(identity(spec, explicit.has(i)));
    if (matches !== undefined && matches.length > 0) matches.shift();
    else toAdd.push(i);
  }
  const toRemove = rebuildEndpoints
    ? group.endpoints.filter((e) => e.fleet.state !== 'draining' && e.fleet.state !== 'removed')
    : [...current.values()].flat();
  // New before old: each added endpoint serves before one old endpoint drains. A new endpoint that is
  // never admitted stops the change there: the old endpoints still serving stay.
  for (const i of toAdd) {
    const config = plan.server.endpoints[i];
    if (config === undefined) continue;
    try {
      result.added.push(await live.add(group.name, config));
    } catch (e) {
      result.failed.push(`${group.name}: ${errorMessage(e)}`);
      return;
    }
    const leaving = toRemove.shift();
    if (leaving !== undefined) await removeOne(live, leaving, result);
  }
  for (const e of toRemove) await removeOne(live, e, result);
}

async function removeOne(live: LiveFleet, e: EndpointEntry, result: ReloadResult): Promise<void> {
  try {
    await live.remove(e.id);
    result.removed.push(e.id);
  } catch (err) {
    result.failed.push(`${e.id}: ${errorMessage(err)}`);
  }
}
