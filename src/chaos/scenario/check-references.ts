/**
 * Checks that span sections: servers named by load, faults and invariants exist; replicas are in range;
 * the fault timeline fits the run and has no overlapping faults of one kind on one endpoint; fault kinds
 * suit their servers; rates and durations stay under the limits; threshold windows make sense.
 */

import { formatDuration } from '../../core/duration.js';
import { HTTP_ONLY_ACTIONS } from '../../relay/index.js';
import { checkDeploy } from './check-deploy.js';
import { checkInvariants, type InvariantCheckOptions } from './check-invariants.js';
import type { Draft } from './draft.js';
import { closest } from './known-invariants.js';
import { MAX_DURATION_MS, MAX_RATE_PER_SEC } from './limits.js';
import type { Finding } from './problem.js';
import type { Threshold } from './threshold.js';
import {
  faultEndMs,
  faultEndpoints,
  faultWindows,
  overlapKey,
  recoveryOpenForMs,
  replicasAt,
} from './timeline.js';
import type { Fault, ScenarioServer } from './types.js';

const fmt = formatDuration;
const rate = (n: number): string => `${Math.round(n * 100) / 100}/s`;

function unknownServer(name: string, d: Draft): string {
  const known = [...d.servers.keys()];
  const hint = closest(name, known);
  return (
    `unknown server "${name}"` +
    (hint ? ` (did you mean "${hint}"?)` : known.length ? ` (servers: ${known.join(', ')})` : '')
  );
}

export function checkReferences(d: Draft, out: Finding[], opts: InvariantCheckOptions): void {
  const dur = d.durationMs;
  if (dur !== undefined && dur <= 0)
    out.push({ path: ['duration'], message: 'duration must be longer than 0' });
  if (dur !== undefined && dur > MAX_DURATION_MS) {
    out.push({
      path: ['duration'],
      message: `duration ${fmt(dur)} exceeds the limit of ${fmt(MAX_DURATION_MS)}`,
    });
  }
  if (d.serversEmpty) out.push({ path: ['servers'], message: 'at least one server' });
  checkLoad(d, out);
  const spans = checkFaults(d, out);
  const openFor = recoveryOpenForMs(d.manager, d.servers.values());
  const windows = dur === undefined || spans === undefined ? undefined : faultWindows(spans, dur, openFor);
  const hasFaults = d.faults.length > 0;
  d.thresholds.forEach((t, i) => {
    if (t) checkWindow(t, ['thresholds', i], d, hasFaults, windows?.recovery, openFor, out);
  });
  d.steadyState.forEach((t, i) => {
    if (!t) return;
    if (t.window.kind === 'during-faults' || t.window.kind === 'after-recovery') {
      out.push({
        path: ['steady_state', i],
        message: 'steady state is checked outside faults: use the whole window or "over <duration>"',
      });
    } else checkWindow(t, ['steady_state', i], d, hasFaults, undefined, openFor, out);
  });
  checkInvariants(d, out, opts);
}

function checkLoad(d: Draft, out: Finding[]): void {
  let total = 0;
  let anyOver = false;
  d.loadServers.forEach((server, i) => {
    if (server !== undefined && d.servers.size > 0 && !d.servers.has(server)) {
      out.push({ path: ['load', i, 'server'], message: unknownServer(server, d) });
    }
  });
  d.load.forEach((l, i) => {
    if (!l) return;
    if (l.ratePerSec <= 0) out.push({ path: ['load', i, 'rate'], message: 'rate must be greater than 0' });
    if (l.ratePerSec > MAX_RATE_PER_SEC) {
      anyOver = true;
      out.push({
        path: ['load', i, 'rate'],
        message: `rate ${rate(l.ratePerSec)} exceeds the limit of ${MAX_RATE_PER_SEC}/s`,
      });
    }
    total += l.ratePerSec;
    if (d.durationMs !== undefined && l.rampMs > d.durationMs) {
      out.push({
        path: ['load', i, 'ramp'],
        message: `ramp ${fmt(l.rampMs)} is longer than the run (${fmt(d.durationMs)})`,
      });
    }
    if (l.timeoutMs === 0)
      out.push({ path: ['load', i, 'timeout'], message: 'timeout must be longer than 0' });
  });
  if (!anyOver && total > MAX_RATE_PER_SEC) {
    out.push({
      path: ['load'],
      message: `total rate ${rate(total)} exceeds the limit of ${MAX_RATE_PER_SEC}/s over all streams`,
    });
  }
}

interface Span {
  fault: Fault;
  endpoints: string[];
  startT: number;
  endT: number;
}

/** Returns the fault spans (for windows), or undefined if the timeline could not be fully resolved. */
function checkFaults(d: Draft, out: Finding[]): Span[] | undefined {
  const spans: Span[] = [];
  let complete = true;
  const names = new Map<string, number>();
  d.faults.forEach((f, i) => {
    if (!f) {
      const t = d.faultTargets[i];
      if (t && d.servers.size > 0 && !d.servers.has(t.server)) {
        out.push({ path: ['faults', i, 'target'], message: unknownServer(t.server, d) });
      }
      complete = false;
      return;
    }
    const prev = names.get(f.name);
    if (prev !== undefined) {
      out.push({
        path: d.faultNamed[i] ? ['faults', i, 'name'] : ['faults', i],
        message: `duplicate fault name "${f.name}" (also faults[${prev}])`,
      });
    } else names.set(f.name, i);
    const server = d.servers.get(f.target.server);
    let endpoints: string[] = [];
    if (server === undefined && d.servers.has(f.target.server)) {
      // the server has errors of its own: its replica count is still known, so the range is checked
      const n = d.replicas.get(f.target.server) ?? 1;
      const sel = f.target.selector;
      if (sel.kind === 'index' && sel.index >= n) {
        const range = n === 1 ? 'only replica 0' : `replicas 0..${n - 1}`;
        out.push({
          path: ['faults', i, 'target'],
          message: `replica ${sel.index} out of range: ${f.target.server} has ${range}`,
        });
      }
    }
    if (!d.servers.has(f.target.server)) {
      if (d.servers.size > 0)
        out.push({ path: ['faults', i, 'target'], message: unknownServer(f.target.server, d) });
      complete = false;
    } else if (server) {
      const eps = faultEndpoints(f, server, replicasAt(server, f, d.faults));
      if (typeof eps === 'string') out.push({ path: ['faults', i, 'target'], message: eps });
      else endpoints = eps;
      checkFaultKind(f, i, server, out);
      if (f.action.kind === 'deploy') checkDeploy(f, f.action.deploy, server, out);
    }
    const dur = d.durationMs;
    if (dur === undefined) return;
    if (f.atMs >= dur) {
      out.push({
        path: ['faults', i, 'at'],
        message: `starts at ${fmt(f.atMs)}, not before the end of the run (duration ${fmt(dur)})`,
      });
      return;
    }
    if (f.forMs !== undefined && f.atMs + f.forMs > dur) {
      out.push({
        path: ['faults', i, 'for'],
        message: `ends at ${fmt(f.atMs + f.forMs)}, after the run (${fmt(dur)}): clamped to ${fmt(dur)}`,
        severity: 'warning',
      });
    }
    spans.push({ fault: f, endpoints, startT: f.atMs, endT: faultEndMs(f, dur) });
  });
  checkOverlaps(spans, out);
  return complete ? spans : undefined;
}

function checkFaultKind(f: Fault, i: number, server: ScenarioServer, out: Finding[]): void {
  const a = f.action;
  // stdio servers take toxics, `down` and mcp faults through the stdio relay; HTTP-only actions do not apply
  if (a.kind === 'mcp' && !server.proxied && HTTP_ONLY_ACTIONS.has(a.mcp.action.kind)) {
    out.push({
      path: ['faults', i, 'mcp', a.mcp.action.kind],
      message: `${server.name} uses stdio: ${a.mcp.action.kind} needs HTTP (stdio has no status codes or sessions); error, delay, hang, cutAfter, truncate, corrupt and versionSkew apply`,
      at: 'key',
    });
  }
  if (a.kind === 'process' && a.process === 'kill' && f.forMs !== undefined && !server.proxied) {
    // The manager spawns a stdio server's child and restarts it at once: `for` would be silently ignored.
    out.push({
      path: ['faults', i, 'for'],
      message: `${server.name} uses stdio: the manager restarts a killed child at once, so kill cannot hold it down for ${f.forMs}ms — omit \`for\` (one crash) or use \`process: pause\` to hold it`,
      at: 'key',
    });
  }
  if (a.kind === 'process' && server.kind === 'existing') {
    out.push({
      path: ['faults', i, 'process'],
      message: `${server.name} is an existing server (url only), never started by mcp-chaos: process faults cannot apply`,
      at: 'key',
    });
  }
}

function checkOverlaps(spans: Span[], out: Finding[]): void {
  for (let j = 0; j < spans.length; j++) {
    const b = spans[j] as Span;
    for (let i = 0; i < j; i++) {
      const a = spans[i] as Span;
      if (overlapKey(a.fault) !== overlapKey(b.fault)) continue;
      // deploys end when they complete (known at run time); the runner plays one per server at a time
      if (b.fault.action.kind === 'deploy') continue;
      if (!(a.startT < b.endT && b.startT < a.endT)) continue;
      const shared = b.endpoints.find((e) => a.endpoints.includes(e));
      if (shared === undefined) continue;
      out.push({
        path: ['faults', b.fault.index, 'at'],
        message: `overlaps faults[${a.fault.index}] ("${a.fault.name}") on ${shared}: two ${overlapKey(b.fault)} faults at once`,
      });
      break;
    }
  }
}

function checkWindow(
  t: Threshold,
  path: (string | number)[],
  d: Draft,
  hasFaults: boolean,
  recovery: { startT: number; endT: number } | undefined,
  openFor: number,
  out: Finding[],
): void {
  const w = t.window;
  if (t.server !== undefined && d.servers.size > 0 && !d.servers.has(t.server)) {
    out.push({ path, message: `${unknownServer(t.server, d)} in "${t.source}"` });
  }
  if ((w.kind === 'during-faults' || w.kind === 'after-recovery') && !hasFaults) {
    out.push({ path, message: `"${t.source}" names a fault window, but the scenario has no faults` });
  }
  if (w.kind === 'over' && d.durationMs !== undefined && w.ms > d.durationMs) {
    out.push({ path, message: `window "over ${fmt(w.ms)}" is longer than the run (${fmt(d.durationMs)})` });
  }
  if (w.kind === 'after-recovery' && recovery && recovery.startT >= recovery.endT) {
    out.push({
      path,
      message: `the after-recovery window is empty (last fault end + breaker openFor ${fmt(openFor)} reaches the end of the run): nothing to judge`,
      severity: 'warning',
    });
  }
}
