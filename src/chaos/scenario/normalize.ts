/**
 * Builds the typed, normalised pieces of a {@link Scenario} from schema-validated input: durations to
 * ms, rates to calls/s, targets parsed, toxic attributes in Toxiproxy units, defaults filled.
 */

import type { McpAction } from '../../relay/index.js';
import { DEFAULT_READY_MS } from './limits.js';
import { durationMs, parseTarget, ratePerSecond } from './scalars.js';
import type { LoadInput } from './schema.js';
import { DEPLOY_DEFAULTS, type DeployInput } from './schema-deploy.js';
import type { FaultInput } from './schema-faults.js';
import { TOXIC_DEFAULT_ATTRIBUTES, TOXIC_TIME_ATTRIBUTES } from './schema-faults.js';
import type { ServerInput } from './schema-servers.js';
import type { SutInput } from './schema-sut.js';
import type {
  DeploySpec,
  Fault,
  FaultAction,
  GatewaySut,
  InvariantRef,
  LoadStream,
  McpFaultSpec,
  MockSpec,
  ScenarioServer,
  ScenarioSut,
  ToxicSpec,
} from './types.js';

type MockInput = NonNullable<ServerInput['mock']>;

function latencyOf(lat: MockInput['latency']): MockSpec['latency'] {
  if (lat === undefined) return { p50Ms: 0, p99Ms: 0 };
  return typeof lat === 'object'
    ? { p50Ms: durationMs(lat.p50), p99Ms: durationMs(lat.p99) }
    : { p50Ms: durationMs(lat), p99Ms: durationMs(lat) };
}

function mockSpec(m: MockInput): MockSpec {
  const latency = latencyOf(m.latency);
  return {
    transport: m.transport ?? 'http',
    protocol: m.protocol ?? 'legacy',
    session: m.session ?? 'stateful',
    response: m.response ?? 'json',
    latency,
    errorRate: m.errorRate ?? 0,
  };
}

/** The server, or undefined when it names no kind (reported by checkServerShape). */
export function normalizeServer(name: string, s: ServerInput): ScenarioServer | undefined {
  const base = { name, replicas: s.replicas ?? 1, manager: s.manager ?? {} };
  if (s.mock !== undefined) {
    const mock = mockSpec(s.mock);
    return { ...base, kind: 'mock', mock, proxied: mock.transport !== 'stdio' };
  }
  if (s.command !== undefined) {
    const transport = s.transport ?? (s.url === undefined ? 'stdio' : 'http');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.env ?? {})) env[k] = String(v);
    // a stdio server's `ready` bounds its first connect (spawn + handshake), unless its manager: says so
    const manager =
      transport === 'stdio' && s.ready !== undefined && base.manager.connectTimeoutMs === undefined
        ? { ...base.manager, connectTimeoutMs: durationMs(s.ready) }
        : base.manager;
    const server: ScenarioServer = {
      ...base,
      manager,
      kind: 'command',
      transport,
      command: [...s.command],
      env,
      readyMs: s.ready === undefined ? DEFAULT_READY_MS : durationMs(s.ready),
      proxied: transport !== 'stdio',
    };
    if (s.cwd !== undefined) server.cwd = s.cwd;
    if (s.url !== undefined && transport !== 'stdio') server.url = s.url;
    return server;
  }
  if (s.url !== undefined) {
    const transport = s.transport === 'sse' ? 'sse' : 'http';
    return { ...base, kind: 'existing', transport, url: s.url, proxied: true };
  }
  return undefined;
}

function toxicSpec(t: NonNullable<FaultInput['toxic']>): ToxicSpec {
  const timeAttrs = TOXIC_TIME_ATTRIBUTES[t.type];
  const attributes: Record<string, number> = { ...TOXIC_DEFAULT_ATTRIBUTES[t.type] };
  for (const [k, v] of Object.entries((t.attributes ?? {}) as Record<string, number | string>)) {
    // Numbers are already in the toxic's unit; durations are converted from ms.
    attributes[k] = typeof v === 'number' ? v : Math.round(durationMs(v) * (timeAttrs[k] ?? 1));
  }
  return { type: t.type, stream: t.stream ?? 'downstream', toxicity: t.toxicity ?? 1, attributes };
}

/** The fault's single action (toxic wins over down over process over deploy when several are given). */
function faultAction(f: FaultInput): FaultAction | undefined {
  if (f.toxic !== undefined) return { kind: 'toxic', toxic: toxicSpec(f.toxic) };
  if (f.down === true) return { kind: 'down' };
  if (f.process !== undefined) return { kind: 'process', process: f.process };
  if (f.deploy !== undefined) return { kind: 'deploy', deploy: deploySpec(f.deploy) };
  if (f.mcp !== undefined) {
    const action = mcpAction(f.mcp);
    if (action === undefined) return undefined;
    const mcp: McpFaultSpec = { share: f.mcp.share ?? 1, action };
    if (f.mcp.match !== undefined) mcp.match = { ...f.mcp.match };
    return { kind: 'mcp', mcp };
  }
  return undefined;
}

/** Only the mock fields a deploy gives (transport is kept to be refused by check-deploy.ts). */
function mockPatch(m: MockInput): NonNullable<DeploySpec['mock']> {
  const out: NonNullable<DeploySpec['mock']> = {};
  if (m.transport !== undefined) out.transport = m.transport;
  if (m.protocol !== undefined) out.protocol = m.protocol;
  if (m.session !== undefined) out.session = m.session;
  if (m.response !== undefined) out.response = m.response;
  if (m.latency !== undefined) out.latency = latencyOf(m.latency);
  if (m.errorRate !== undefined) out.errorRate = m.errorRate;
  return out;
}

function deploySpec(d: DeployInput): DeploySpec {
  const out: DeploySpec = {
    maxUnavailable: d.maxUnavailable ?? DEPLOY_DEFAULTS.maxUnavailable,
    everyMs: d.every === undefined ? DEPLOY_DEFAULTS.everyMs : durationMs(d.every),
  };
  if (d.mock !== undefined) out.mock = mockPatch(d.mock);
  if (d.command !== undefined) out.command = [...d.command];
  if (d.env !== undefined)
    out.env = Object.fromEntries(Object.entries(d.env).map(([k, v]) => [k, String(v)]));
  if (d.url !== undefined) out.url = d.url;
  if (d.replicas !== undefined) out.replicas = d.replicas;
  if (d.drain !== undefined) out.drainMs = durationMs(d.drain);
  return out;
}

/** Default name of the fault at `index`. */
export const defaultFaultName = (index: number): string => `fault-${index}`;

/** The fault, or undefined when it has no action or a malformed target (both reported elsewhere). */
export function normalizeFault(index: number, f: FaultInput): Fault | undefined {
  const action = faultAction(f);
  const target = parseTarget(f.target);
  if (!action || typeof target === 'string') return undefined;
  const fault: Fault = {
    index,
    name: f.name ?? defaultFaultName(index),
    atMs: durationMs(f.at),
    target,
    action,
  };
  if (f.for !== undefined) fault.forMs = durationMs(f.for);
  return fault;
}

export function normalizeLoad(l: LoadInput): LoadStream {
  const stream: LoadStream = {
    name: l.name ?? `${l.server}.${l.tool}`,
    server: l.server,
    tool: l.tool,
    args: { ...(l.args ?? {}) },
    ratePerSec: ratePerSecond(l.rate),
    rampMs: l.ramp === undefined ? 0 : durationMs(l.ramp),
    ...(l.idempotent === undefined ? {} : { idempotent: l.idempotent }),
    toolErrorsAreSuccess: l.toolErrorsAreSuccess ?? false,
  };
  if (l.timeout !== undefined) stream.timeoutMs = durationMs(l.timeout);
  if (l.concurrency !== undefined) stream.concurrency = l.concurrency;
  return stream;
}

/** Makes load stream names unique by appending `#2`, `#3`, ... to repeats. */
export function uniqueLoadNames(streams: LoadStream[]): void {
  const seen = new Map<string, number>();
  for (const s of streams) {
    const n = (seen.get(s.name) ?? 0) + 1;
    seen.set(s.name, n);
    if (n > 1) s.name = `${s.name}#${n}`;
  }
}

/** An invariant entry (a name, or a one-key map); undefined when malformed (reported elsewhere). */
export function normalizeInvariant(
  entry: string | Record<string, Record<string, unknown> | null>,
): InvariantRef | undefined {
  if (typeof entry === 'string') return { name: entry, params: {} };
  const keys = Object.keys(entry);
  if (keys.length !== 1) return undefined;
  const name = keys[0] as string;
  return { name, params: { ...(entry[name] ?? {}) } };
}

/** The one action of an `mcp:` fault (undefined when there is none: the shape check says so). */
function mcpAction(m: NonNullable<FaultInput['mcp']>): McpAction | undefined {
  if (m.status !== undefined) {
    const a: McpAction = { kind: 'status', status: m.status };
    if (m.retryAfter !== undefined) a.retryAfterMs = durationMs(m.retryAfter);
    return a;
  }
  if (m.error !== undefined) return { kind: 'error', code: m.error.code, message: m.error.message };
  if (m.delay !== undefined) return { kind: 'delay', ms: durationMs(m.delay) };
  if (m.hang === true) return { kind: 'hang' };
  if (m.cutAfter !== undefined) return { kind: 'cutAfter', events: m.cutAfter };
  if (m.truncate !== undefined) return { kind: 'truncate', share: m.truncate };
  if (m.corrupt === true) return { kind: 'corrupt' };
  if (m.sessionExpired === true) return { kind: 'sessionExpired' };
  if (m.versionSkew === true) return { kind: 'versionSkew' };
  return undefined;
}

/** The `sut:` section (absent: the manager). */
export function normalizeSut(s: SutInput | undefined): ScenarioSut {
  if (s === undefined || s === 'manager') return { kind: 'manager' };
  const g = s.gateway;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(g.env ?? {})) env[k] = String(v);
  const sut: GatewaySut = {
    kind: 'gateway',
    command: [...g.command],
    transport: g.transport ?? 'http',
    env,
    readyMs: g.ready === undefined ? DEFAULT_READY_MS : durationMs(g.ready),
    toolName: g.toolName ?? '{tool}',
    protocol: g.protocol ?? 'auto',
  };
  if (g.url !== undefined) sut.url = g.url;
  if (g.config !== undefined) sut.config = g.config;
  if (g.cwd !== undefined) sut.cwd = g.cwd;
  return sut;
}
