/**
 * `planScenario`: turns a validated {@link Scenario} into what the runner executes: one endpoint per
 * replica (ids `weather[0]`, ...), each with its mock/command/existing spec (placeholders left in; see
 * `fillPlaceholders`), manager settings per server, the fault timeline as absolute start/end ms per
 * endpoint, the load streams and the checks — all with `timeScale` applied.
 */
import { dirname, resolve } from 'node:path';
import { mergeLayers } from '../../manager/index.js';
import type { DeepPartial, ResilienceSettings } from '../../manager/types.js';
import type { PlannedFault } from '../history.js';
import { needsPort } from './placeholders.js';
import { endpointId } from './scalars.js';
import type { Threshold } from './threshold.js';
import {
  checkTimeScale,
  scaleAction,
  scaleInvariant,
  scaleMs,
  scaleSettings,
  scaleThreshold,
} from './time-scale.js';
import {
  actionDetail,
  faultEndMs,
  faultEndpoints,
  faultWindows,
  recoveryOpenForMs,
  replicasAt,
  type Window,
} from './timeline.js';
import type {
  DeploySpec,
  FaultAction,
  InvariantRef,
  LoadStream,
  MockSpec,
  Scenario,
  ScenarioServer,
  ScenarioSut,
} from './types.js';

export interface PlanOptions {
  /** Multiplies every duration (see time-scale.ts for which); > 0 (default 1). */
  timeScale?: number;
}

interface EndpointBase {
  /** `<server>[<replica>]`. */
  id: string;
  server: string;
  replica: number;
  /** Whether a fault proxy sits in front (false for stdio). */
  proxied: boolean;
}

export type PlannedEndpoint =
  | (EndpointBase & { kind: 'mock'; transport: 'http' | 'stdio'; mock: MockSpec })
  | (EndpointBase & {
      kind: 'command';
      transport: 'http' | 'sse' | 'stdio';
      /** Templates: `{port}`/`{replica}` still in; fill with fillCommand/fillPlaceholders. */
      command: string[];
      env: Record<string, string>;
      cwd?: string;
      url?: string;
      /** Wait for readiness (ms, not scaled). */
      readyMs: number;
      /** Whether command/env/url use `{port}` (the runner must pick a port). */
      needsPort: boolean;
    })
  | (EndpointBase & {
      kind: 'existing';
      transport: 'http' | 'sse';
      /** Concrete URL (`{replica}` filled). */
      url: string;
    });

export interface PlannedServer {
  name: string;
  kind: ScenarioServer['kind'];
  replicas: number;
  transport: 'http' | 'sse' | 'stdio';
  proxied: boolean;
  /** Manager-wide settings deep-merged with this server's overrides (scaled): a complete layer. */
  settings: DeepPartial<ResilienceSettings>;
  /** Only this server's overrides (scaled), for `ServerConfig.settings` next to `ManagerOptions.settings`. */
  overrides: DeepPartial<ResilienceSettings>;
  endpoints: PlannedEndpoint[];
}

/** A fault as the runner executes it; assignable to the history's {@link PlannedFault}. */
export interface FaultPlan extends PlannedFault {
  /** Position in the file's `faults:`. */
  index: number;
  /** The target as written. */
  target: string;
  /** With time-valued toxic attributes scaled. */
  action: FaultAction;
  /** No `for`: lasts until the end of load (restart: started again at once). */
  open: boolean;
  /** `at + for` went past the end of load and was cut there. */
  clamped: boolean;
  /** A deploy's new versions. */
  deploy?: DeployPlan;
}

/** What a deploy fault rolls out. */
export interface DeployPlan {
  server: string;
  /** Whether it changes the version (else it only scales). */
  changes: boolean;
  /** The new version of replica slot i (its `id` is the slot's; the runner names each generation). */
  versions: PlannedEndpoint[];
  /** The new replica count, when it scales. */
  replicas?: number;
}

export interface Plan {
  file: string;
  name: string;
  description?: string;
  seed?: number;
  timeScale: number;
  durationMs: number;
  /** Manager-wide settings layer (scaled), for `ManagerOptions.settings`. */
  settings: DeepPartial<ResilienceSettings>;
  servers: PlannedServer[];
  /** endpoint id → server name (the history's `endpoints`). */
  endpoints: Record<string, string>;
  /** By start time, then file order. */
  faults: FaultPlan[];
  load: LoadStream[];
  steadyState: Threshold[];
  thresholds: Threshold[];
  /** Params with duration strings scaled (still strings). */
  invariants: InvariantRef[];
  /**
   * `faults`: first fault start → last fault end; `recovery`: last fault end + the longest breaker
   * openFor → end of load (may be empty: startT = endT). Both absent without faults.
   */
  windows: { faults?: Window; recovery?: Window };
  /** The breaker openFor used for the recovery window (ms, scaled). */
  recoveryOpenForMs: number;
  /** The system under test; a gateway's `cwd` resolved against the scenario's folder. */
  sut: ScenarioSut;
}

/**
 * @param baseDir the scenario file's folder: a spawned server's working directory unless `cwd` says
 *   otherwise (a relative `cwd` resolves against it), so relative paths in `command` mean the same from
 *   wherever the scenario is run.
 */
function planEndpoints(s: ScenarioServer, f: number, baseDir: string): PlannedEndpoint[] {
  return Array.from({ length: s.replicas }, (_, replica) => planEndpoint(s, replica, f, baseDir));
}

/** Replica `replica` of server `s` (times scaled by `f`). */
function planEndpoint(s: ScenarioServer, replica: number, f: number, baseDir: string): PlannedEndpoint {
  const base = { id: endpointId(s.name, replica), server: s.name, replica, proxied: s.proxied };
  if (s.kind === 'mock') {
    const latency = { p50Ms: scaleMs(s.mock.latency.p50Ms, f), p99Ms: scaleMs(s.mock.latency.p99Ms, f) };
    return { ...base, kind: 'mock', transport: s.mock.transport, mock: { ...s.mock, latency } };
  }
  if (s.kind === 'existing') {
    return {
      ...base,
      kind: 'existing',
      transport: s.transport,
      url: s.url.replaceAll('{replica}', `${replica}`),
    };
  }
  const templates = [...s.command, ...Object.values(s.env), ...(s.url === undefined ? [] : [s.url])];
  const ep: PlannedEndpoint = {
    ...base,
    kind: 'command',
    transport: s.transport,
    command: [...s.command],
    env: { ...s.env },
    readyMs: s.readyMs,
    needsPort: templates.some(needsPort),
  };
  ep.cwd = s.cwd === undefined ? baseDir : resolve(baseDir, s.cwd);
  if (s.url !== undefined) ep.url = s.url;
  return ep;
}

/** The server as a deploy leaves it: the new version's fields over the server's (see check-deploy.ts). */
export function deployedServer(s: ScenarioServer, d: DeploySpec): ScenarioServer {
  if (s.kind === 'mock') {
    const { transport: _, ...patch } = d.mock ?? {};
    return { ...s, mock: { ...s.mock, ...patch } };
  }
  if (s.kind === 'existing') return { ...s, url: d.url ?? s.url };
  const out = { ...s, command: d.command ?? s.command, env: { ...s.env, ...d.env } };
  if (d.url !== undefined) out.url = d.url;
  return out;
}

/**
 * What a deploy fault starts: the new version of every replica slot it may reach — the targeted ones and,
 * with `replicas`, the ones it adds — indexed by replica.
 */
function planDeploy(
  s: ScenarioServer,
  d: DeploySpec,
  slots: readonly string[],
  f: number,
  baseDir: string,
): DeployPlan {
  const next = deployedServer(s, d);
  const changes =
    d.mock !== undefined || d.command !== undefined || d.env !== undefined || d.url !== undefined;
  const length = Math.max(d.replicas ?? 0, ...slots.map((x) => slotIndex(x) + 1));
  const versions = Array.from({ length }, (_, r) => planEndpoint(next, r, f, baseDir));
  return { server: s.name, changes, versions, ...(d.replicas !== undefined ? { replicas: d.replicas } : {}) };
}

/** The replica index of a slot id `weather[2]`. */
export function slotIndex(slot: string): number {
  const m = /\[(\d+)\]$/.exec(slot);
  return m ? Number(m[1]) : 0;
}

const transportOf = (s: ScenarioServer): PlannedServer['transport'] =>
  s.kind === 'mock' ? s.mock.transport : s.transport;

export function planScenario(scenario: Scenario, options: PlanOptions = {}): Plan {
  const f = checkTimeScale(options.timeScale ?? 1);
  const durationMs = scaleMs(scenario.durationMs, f);
  const settings = scaleSettings(scenario.manager, f);
  const endpoints: Record<string, string> = {};
  const baseDir = resolve(dirname(scenario.file));
  const servers = scenario.servers.map((s): PlannedServer => {
    const overrides = scaleSettings(s.manager, f);
    const eps = planEndpoints(s, f, baseDir);
    for (const e of eps) endpoints[e.id] = s.name;
    return {
      name: s.name,
      kind: s.kind,
      replicas: s.replicas,
      transport: transportOf(s),
      proxied: s.proxied,
      settings: mergeLayers(settings, overrides),
      overrides,
      endpoints: eps,
    };
  });
  const byName = new Map(scenario.servers.map((s) => [s.name, s]));
  const faults: FaultPlan[] = [];
  for (const fault of scenario.faults) {
    const server = byName.get(fault.target.server);
    const eps = server ? faultEndpoints(fault, server, replicasAt(server, fault, scenario.faults)) : [];
    if (typeof eps === 'string') throw new RangeError(`faults[${fault.index}]: ${eps}`);
    const startT = scaleMs(fault.atMs, f);
    const forMs = fault.forMs === undefined ? undefined : scaleMs(fault.forMs, f);
    const endT = faultEndMs({ atMs: startT, forMs, action: fault.action }, durationMs);
    const a = fault.action;
    const planned: FaultPlan = {
      name: fault.name,
      endpoints: eps,
      startT,
      endT,
      kind: a.kind,
      detail: actionDetail(a),
      index: fault.index,
      target: fault.target.source,
      action: scaleAction(a, f),
      open: forMs === undefined,
      clamped: forMs !== undefined && startT + forMs > durationMs,
    };
    if (a.kind === 'deploy' && server) planned.deploy = planDeploy(server, a.deploy, eps, f, baseDir);
    faults.push(planned);
  }
  faults.sort((a, b) => a.startT - b.startT || a.index - b.index);
  const openFor = recoveryOpenForMs(
    settings,
    servers.map((s) => ({ ...(byName.get(s.name) as ScenarioServer), manager: s.overrides })),
  );
  const w = faultWindows(faults, durationMs, openFor);
  const plan: Plan = {
    file: scenario.file,
    name: scenario.name,
    timeScale: f,
    durationMs,
    settings,
    servers,
    endpoints,
    faults,
    load: scenario.load.map((l) => {
      const out: LoadStream = { ...l, args: structuredClone(l.args), rampMs: scaleMs(l.rampMs, f) };
      if (l.timeoutMs !== undefined) out.timeoutMs = scaleMs(l.timeoutMs, f);
      return out;
    }),
    steadyState: scenario.steadyState.map((t) => scaleThreshold(t, f)),
    thresholds: scenario.thresholds.map((t) => scaleThreshold(t, f)),
    invariants: scenario.invariants.map((i) => scaleInvariant(i, f)),
    windows: w ? { faults: w.faults, recovery: w.recovery } : {},
    recoveryOpenForMs: openFor,
    sut:
      scenario.sut.kind === 'gateway'
        ? {
            ...scenario.sut,
            cwd: scenario.sut.cwd === undefined ? baseDir : resolve(baseDir, scenario.sut.cwd),
          }
        : scenario.sut,
  };
  if (scenario.description !== undefined) plan.description = scenario.description;
  if (scenario.seed !== undefined) plan.seed = scenario.seed;
  return plan;
}
