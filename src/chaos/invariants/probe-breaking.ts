/**
 * Does a fault break active health probes? Decided from the fault's kind and `detail` (toxic type,
 * `down`, or process action) and the server's health settings.
 *
 * `detail` may carry toxic attributes after the type, as `key=value` or `key: value` pairs, e.g.
 * `latency latency=800 jitter=0`, `limit_data bytes=512`, `timeout toxicity=0.5`. Without them a latency
 * fault is `unknown` (its size is unknown) and the other types are judged by type alone.
 *
 * - breaks: `down`; process kill/restart/pause/stop; toxics `timeout`, `reset_peer`, `limit_data` (unless
 *   bytes > 1 MiB), `bandwidth` with rate 0, `latency` with latency + jitter ≥ the probe timeout;
 * - harmless: `latency` below the probe timeout, `bandwidth` > 0, `slicer`, `slow_close`, `noop`;
 * - unknown: toxicity < 1 (only some connections are affected), latency of unknown size, other types.
 */

import type { HealthSettings } from '../../manager/types.js';
import type { FaultKind } from '../history.js';

export type ProbeVerdict = 'breaks' | 'harmless' | 'unknown';

/** Parses `type key=value …` into the lower-case type and its numeric attributes. */
export function parseFaultDetail(detail: string): { type: string; attributes: Record<string, number> } {
  const trimmed = detail.trim();
  const type = (/^[A-Za-z_-]+/.exec(trimmed)?.[0] ?? '').toLowerCase();
  const attributes: Record<string, number> = {};
  for (const m of trimmed.slice(type.length).matchAll(/([A-Za-z_]+)"?\s*[=:]\s*(-?\d+(?:\.\d+)?)/g)) {
    attributes[m[1]!.toLowerCase()] = Number(m[2]);
  }
  return { type, attributes };
}

export function probeVerdict(
  kind: FaultKind,
  detail: string,
  health: Pick<HealthSettings, 'timeoutMs'>,
): { verdict: ProbeVerdict; reason: string } {
  const { type, attributes: a } = parseFaultDetail(detail);
  if (kind === 'down' || type === 'down') return { verdict: 'breaks', reason: 'proxy down' };
  if (kind === 'process') {
    return ['kill', 'restart', 'pause', 'stop'].includes(type)
      ? { verdict: 'breaks', reason: `process ${type}` }
      : { verdict: 'unknown', reason: `process action "${detail}"` };
  }
  if (a.toxicity !== undefined && a.toxicity < 1) {
    return { verdict: 'unknown', reason: `toxicity ${a.toxicity} < 1 affects only some connections` };
  }
  switch (type) {
    case 'timeout':
    case 'reset_peer':
      return { verdict: 'breaks', reason: type };
    case 'limit_data':
      return a.bytes !== undefined && a.bytes > 1024 * 1024
        ? { verdict: 'unknown', reason: `limit_data of ${a.bytes} bytes may not be reached` }
        : { verdict: 'breaks', reason: 'limit_data' };
    case 'bandwidth':
      return a.rate === 0
        ? { verdict: 'breaks', reason: 'bandwidth 0' }
        : { verdict: 'harmless', reason: 'bandwidth' };
    case 'latency': {
      if (a.latency === undefined) return { verdict: 'unknown', reason: 'latency of unknown size' };
      const worst = a.latency + (a.jitter ?? 0);
      return worst >= health.timeoutMs
        ? { verdict: 'breaks', reason: `latency ${worst}ms ≥ probe timeout ${health.timeoutMs}ms` }
        : { verdict: 'harmless', reason: `latency ${worst}ms < probe timeout ${health.timeoutMs}ms` };
    }
    case 'slicer':
    case 'slow_close':
    case 'noop':
      return { verdict: 'harmless', reason: type };
    default:
      return { verdict: 'unknown', reason: `toxic type "${type || detail}"` };
  }
}
