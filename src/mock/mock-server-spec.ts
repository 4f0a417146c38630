/**
 * The description of one mock MCP server: how it is reached (transport, session mode, response style) and
 * how it misbehaves (latency, injected tool errors, hangs, crashes, ping). `resolveMockServerSpec` validates
 * a spec and fills in the defaults; bad values throw a RangeError quoting the value.
 */
import { hashString } from '../core/rng.js';

/** Latency added before every tool call is answered: a constant, or a log-normal fitted to p50/p99. */
export type LatencySpec = { fixedMs: number } | { p50Ms: number; p99Ms: number };

/** The behaviours that can be changed while a server runs (see `MockServerHandle.setBehaviour`). */
export interface MockBehaviourSettings {
  /** Delay before each tool call is answered (default none). */
  latency?: LatencySpec;
  /** Share of tool calls answered with an `isError: true` result, in [0, 1] (default 0). */
  errorRate: number;
  /** When true, tool calls and pings are accepted but never answered (default false). */
  hang: boolean;
  /**
   * Serve this many tool calls, then crash on the next one: a child process exits, an in-process server
   * destroys every socket and stops listening (default never).
   */
  crashAfterCalls?: number;
  /** Whether `ping` is answered; when false, pings are accepted and never answered (default true). */
  answerPing: boolean;
}

/** A partial behaviour change; `null` removes `latency` / `crashAfterCalls`. */
export type MockBehaviourUpdate = {
  [K in keyof MockBehaviourSettings]?: MockBehaviourSettings[K] | null;
};

/** The MCP eras a mock speaks: 2025 only, 2026-07-28 only, or 2026-07-28 and 2025 (served statelessly). */
export const MOCK_PROTOCOLS = ['legacy', 'modern', 'dual'] as const;
export type MockProtocol = (typeof MOCK_PROTOCOLS)[number];

export interface MockServerSpec {
  /** `http` (Streamable HTTP, default) or `stdio`. */
  transport?: 'http' | 'stdio';
  /**
   * `legacy` (default: 2025-11-25 on the v1 SDK; `session` applies), `modern` (2026-07-28 only, v2 SDK; a
   * 2025 client gets -32022), `dual` (2026-07-28, and 2025 clients served statelessly, v2 SDK).
   */
  protocol?: MockProtocol;
  /** HTTP only: `stateful` (one session per client, default) or `stateless` (fresh server per request). */
  session?: 'stateful' | 'stateless';
  /** HTTP only: answer POSTs with `sse` streams (default) or plain `json` bodies. */
  response?: 'json' | 'sse';
  /** HTTP only: bind address (default 127.0.0.1). */
  host?: string;
  /** HTTP only: port (default 0 = any free port). */
  port?: number;
  /** HTTP only: endpoint path (default /mcp). */
  path?: string;
  /** See {@link MockBehaviourSettings.latency}. */
  latency?: LatencySpec;
  /** See {@link MockBehaviourSettings.errorRate}. */
  errorRate?: number;
  /** See {@link MockBehaviourSettings.hang}. */
  hang?: boolean;
  /** See {@link MockBehaviourSettings.crashAfterCalls}. */
  crashAfterCalls?: number;
  /** See {@link MockBehaviourSettings.answerPing}. */
  answerPing?: boolean;
  /** Seed of the latency and error draws (default: a hash of `name`). */
  seed?: number;
  /** Server name reported in `initialize` (default `mock`). */
  name?: string;
  /** HTTP stateful only: live sessions kept; the oldest is closed beyond this (default 1000). */
  maxSessions?: number;
}

/** A validated spec with every default filled in. */
export interface ResolvedMockServerSpec extends MockBehaviourSettings {
  transport: 'http' | 'stdio';
  protocol: MockProtocol;
  session: 'stateful' | 'stateless';
  response: 'json' | 'sse';
  host: string;
  port: number;
  path: string;
  seed: number;
  name: string;
  maxSessions: number;
}

/** Upper bound of any latency value (ms): one hour. */
const MAX_LATENCY_MS = 3_600_000;

/** Validates `spec` and fills in the defaults. Throws RangeError quoting the first bad value. */
export function resolveMockServerSpec(spec: MockServerSpec = {}): ResolvedMockServerSpec {
  if (spec === null || typeof spec !== 'object')
    throw new RangeError(`mock spec must be an object, got ${q(spec)}`);
  const transport = oneOf('transport', spec.transport ?? 'http', ['http', 'stdio'] as const);
  const protocol = oneOf('protocol', spec.protocol ?? 'legacy', MOCK_PROTOCOLS);
  const session = oneOf('session', spec.session ?? 'stateful', ['stateful', 'stateless'] as const);
  const response = oneOf('response', spec.response ?? 'sse', ['json', 'sse'] as const);
  const host = spec.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.length === 0)
    throw new RangeError(`host must be a non-empty string, got ${q(host)}`);
  const port = spec.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be an integer in [0, 65535], got ${q(port)}`);
  }
  const path = spec.path ?? '/mcp';
  if (typeof path !== 'string' || !path.startsWith('/') || /[\s?#]/.test(path)) {
    throw new RangeError(`path must start with "/" and hold no spaces, "?" or "#", got ${q(path)}`);
  }
  const name = spec.name ?? 'mock';
  if (typeof name !== 'string' || name.length === 0)
    throw new RangeError(`name must be a non-empty string, got ${q(name)}`);
  const seed = spec.seed ?? hashString(name);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${q(seed)}`);
  const maxSessions = spec.maxSessions ?? 1000;
  if (!Number.isInteger(maxSessions) || maxSessions < 1) {
    throw new RangeError(`maxSessions must be an integer >= 1, got ${q(maxSessions)}`);
  }
  const behaviour = resolveBehaviour(spec, {
    errorRate: 0,
    hang: false,
    answerPing: true,
  });
  return { transport, protocol, session, response, host, port, path, seed, name, maxSessions, ...behaviour };
}

/**
 * Validates a partial behaviour update and merges it over `current`. `latency` or `crashAfterCalls` set
 * to `null` remove them. Throws RangeError quoting the first bad value.
 */
export function resolveBehaviour(
  partial: Partial<Record<keyof MockBehaviourSettings, unknown>>,
  current: MockBehaviourSettings,
): MockBehaviourSettings {
  const out: MockBehaviourSettings = { ...current };
  if (partial.latency === null) delete out.latency;
  else if (partial.latency !== undefined) out.latency = validateLatency(partial.latency);
  if (partial.errorRate !== undefined) {
    const r = partial.errorRate;
    if (typeof r !== 'number' || !Number.isFinite(r) || r < 0 || r > 1) {
      throw new RangeError(`errorRate must be a number in [0, 1], got ${q(r)}`);
    }
    out.errorRate = r;
  }
  if (partial.hang !== undefined) out.hang = bool('hang', partial.hang);
  if (partial.answerPing !== undefined) out.answerPing = bool('answerPing', partial.answerPing);
  if (partial.crashAfterCalls === null) delete out.crashAfterCalls;
  else if (partial.crashAfterCalls !== undefined) {
    const n = partial.crashAfterCalls;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new RangeError(`crashAfterCalls must be an integer >= 0, got ${q(n)}`);
    }
    out.crashAfterCalls = n;
  }
  return out;
}

function validateLatency(value: unknown): LatencySpec {
  if (value === null || typeof value !== 'object') {
    throw new RangeError(`latency must be {fixedMs} or {p50Ms, p99Ms}, got ${q(value)}`);
  }
  const v = value as Record<string, unknown>;
  if ('fixedMs' in v) {
    return { fixedMs: ms('latency.fixedMs', v.fixedMs) };
  }
  if ('p50Ms' in v || 'p99Ms' in v) {
    const p50Ms = ms('latency.p50Ms', v.p50Ms);
    const p99Ms = ms('latency.p99Ms', v.p99Ms);
    if (p50Ms <= 0) throw new RangeError(`latency.p50Ms must be > 0, got ${q(p50Ms)}`);
    if (p99Ms < p50Ms) throw new RangeError(`latency.p99Ms must be >= p50Ms (${p50Ms}), got ${q(p99Ms)}`);
    return { p50Ms, p99Ms };
  }
  throw new RangeError(`latency must be {fixedMs} or {p50Ms, p99Ms}, got ${q(value)}`);
}

function ms(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_LATENCY_MS) {
    throw new RangeError(`${name} must be a number of ms in [0, ${MAX_LATENCY_MS}], got ${q(v)}`);
  }
  return v;
}

function bool(name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new RangeError(`${name} must be a boolean, got ${q(v)}`);
  return v;
}

function oneOf<T extends string>(name: string, v: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(v as T))
    throw new RangeError(`${name} must be one of ${allowed.join('|')}, got ${q(v)}`);
  return v as T;
}

function q(v: unknown): string {
  try {
    return typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    return String(v);
  }
}
