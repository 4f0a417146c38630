/**
 * `/readyz`: ready when every server has at least `minHealthyPerServer` endpoints that could take a call
 * now — serving (not joining or draining), not failed at start, not marked unhealthy, not ejected, breaker
 * not open. An endpoint whose probes have not answered yet counts (it is tried like any other). A server
 * whose tool list has not come yet (tool-lists.ts) is not ready either: `unlisted` names it.
 */
import type { ManagerRegistry, ManagerSnapshot } from '../manager/index.js';
import type { ReadyState } from './http-front.js';

export function readyState(
  snapshot: ManagerSnapshot,
  minHealthy: number,
  registry: ManagerRegistry,
  unlisted: readonly string[] = [],
): ReadyState {
  const healthy = new Map<string, number>(registry.servers().map((s) => [s.name, 0]));
  for (const e of snapshot.endpoints) {
    const usable =
      e.fleet === undefined &&
      e.startError === undefined &&
      e.health !== 'unhealthy' &&
      !e.ejected &&
      e.breaker !== 'open' &&
      e.breaker !== 'forced-open';
    if (usable) healthy.set(e.server, (healthy.get(e.server) ?? 0) + 1);
  }
  const notReady = [...healthy]
    .filter(([, n]) => n < minHealthy)
    .map(([server, n]) => ({ server, healthy: n }));
  return {
    ready: notReady.length === 0 && unlisted.length === 0,
    notReady,
    ...(unlisted.length > 0 ? { unlisted: [...unlisted] } : {}),
  };
}
