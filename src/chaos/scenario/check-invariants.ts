/**
 * Invariant entries: the name must be known; params that refer to the scenario must resolve:
 * `fault` / `faults` (fault names), `server` (a server), `endpoint` (a target such as `weather[0]`).
 * An optional hook validates params further (e.g. the invariant registry's own `params()`).
 */
import type { Draft } from './draft.js';
import { closest } from './known-invariants.js';
import type { Finding } from './problem.js';
import { parseTarget } from './scalars.js';
import { faultEndpoints } from './timeline.js';
import type { PathSegment } from './yaml-locate.js';

export interface InvariantCheckOptions {
  /** Invariant names accepted (default KNOWN_INVARIANTS). */
  knownInvariants: readonly string[];
  /**
   * Optional extra validation of one invariant's params (as written; durations are strings). Throw
   * (e.g. RangeError naming the param) to report a problem at that invariant.
   */
  validateInvariantParams?: (name: string, params: Record<string, unknown>) => void;
}

/** Invariants whose `fault` must be a deploy. */
const DEPLOY_INVARIANTS: readonly string[] = ['deploy-completes-within', 'deploy-halts-within'];

export function checkInvariants(d: Draft, out: Finding[], opts: InvariantCheckOptions): void {
  // every fault's name as written: a fault with an error elsewhere still names itself
  const faultNames = new Set(d.faultNames);
  d.invariants.forEach((inv, i) => {
    if (!inv) return;
    const bare = Object.keys(inv.params).length === 0;
    const namePath: PathSegment[] = bare ? ['invariants', i] : ['invariants', i, inv.name];
    if (!opts.knownInvariants.includes(inv.name)) {
      const hint = closest(inv.name, opts.knownInvariants);
      out.push({
        path: namePath,
        at: bare ? 'value' : 'key',
        message: `unknown invariant "${inv.name}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
      });
      return;
    }
    const at = (k: string): PathSegment[] => ['invariants', i, inv.name, k];
    const refFault = (name: unknown, path: PathSegment[]): void => {
      if (typeof name !== 'string') {
        out.push({ path, message: 'expected a fault name' });
      } else if (!faultNames.has(name)) {
        const hint = closest(name, [...faultNames]);
        out.push({
          path,
          message: `unknown fault "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}${
            faultNames.size === 0 ? ' (the scenario has no faults)' : ''
          }`,
        });
      }
    };
    const p = inv.params;
    if (p.fault !== undefined) refFault(p.fault, at('fault'));
    if (DEPLOY_INVARIANTS.includes(inv.name) && typeof p.fault === 'string') {
      const f = d.faults.find((x) => x?.name === p.fault);
      if (f && f.action.kind !== 'deploy')
        out.push({
          path: at('fault'),
          message: `${inv.name} judges a deploy: "${p.fault}" is a ${f.action.kind} fault`,
        });
    }
    if (p.faults !== undefined) {
      if (Array.isArray(p.faults)) {
        p.faults.forEach((n, j) => {
          refFault(n, [...at('faults'), j]);
        });
      } else out.push({ path: at('faults'), message: 'expected a list of fault names' });
    }
    if (p.server !== undefined) {
      if (typeof p.server !== 'string' || (d.servers.size > 0 && !d.servers.has(p.server))) {
        out.push({ path: at('server'), message: `unknown server ${JSON.stringify(p.server)}` });
      }
    }
    if (p.endpoint !== undefined) checkEndpoint(p.endpoint, at('endpoint'), d, out);
    if (opts.validateInvariantParams) {
      try {
        opts.validateInvariantParams(inv.name, p);
      } catch (e) {
        out.push({
          path: namePath,
          at: bare ? 'value' : 'key',
          message: e instanceof Error ? e.message : String(e),
        });
      }
    }
  });
}

function checkEndpoint(value: unknown, path: PathSegment[], d: Draft, out: Finding[]): void {
  const t = typeof value === 'string' ? parseTarget(value) : 'expected an endpoint such as weather[0]';
  if (typeof t === 'string') {
    out.push({ path, message: t });
    return;
  }
  if (!d.servers.has(t.server)) {
    if (d.servers.size > 0) out.push({ path, message: `unknown server "${t.server}"` });
    return;
  }
  const server = d.servers.get(t.server);
  if (!server) return;
  const eps = faultEndpoints({ target: t }, server);
  if (typeof eps === 'string') out.push({ path, message: eps });
}
