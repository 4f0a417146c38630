/**
 * The normalised, typed scenario: what `parseScenario`/`loadScenarioFile` return once a file is valid.
 * Durations are in ms, rates in calls/s, targets parsed. Times are not yet scaled: `planScenario` does
 * that (and resolves endpoints and the fault timeline).
 */

import type { DeepPartial, ResilienceSettings } from '../../manager/types.js';
import type { MockProtocol } from '../../mock/index.js';
import type { McpAction } from '../../relay/index.js';
import type { Target } from './scalars.js';
import type { ToxicType } from './schema-faults.js';
import type { Threshold } from './threshold.js';

export type { Target, TargetSelector } from './scalars.js';
export type { ToxicType } from './schema-faults.js';
export type { Threshold, ThresholdMetric, ThresholdOp, ThresholdWindow } from './threshold.js';

/** Settings of one mock server replica. */
export interface MockSpec {
  /** http (default) | stdio. */
  transport: 'http' | 'stdio';
  /** The era the mock speaks: legacy (default) | modern | dual; a list gives replica i its i-th (cycling). */
  protocol: MockProtocol | readonly MockProtocol[];
  /** stateful (default) | stateless. */
  session: 'stateful' | 'stateless';
  /** json (default) | sse. */
  response: 'json' | 'sse';
  /** Added latency per call in ms; a fixed latency has p50Ms === p99Ms (default 0/0). */
  latency: { p50Ms: number; p99Ms: number };
  /** Share of calls answered with a tool error, in [0,1] (default 0). */
  errorRate: number;
}

interface ServerBase {
  name: string;
  /** ≥ 1. */
  replicas: number;
  /** Per-server manager overrides (DeepPartial, ms), deep-merged over `Scenario.manager`; {} if none. */
  manager: DeepPartial<ResilienceSettings>;
  /** Whether a proxy sits in front of each replica (false for stdio). */
  proxied: boolean;
}

export interface MockServer extends ServerBase {
  kind: 'mock';
  mock: MockSpec;
}

/** A server we spawn per replica. `{port}`/`{replica}` placeholders are still in command/env/url. */
export interface CommandServer extends ServerBase {
  kind: 'command';
  transport: 'http' | 'sse' | 'stdio';
  command: string[];
  env: Record<string, string>;
  cwd?: string;
  /** Where it serves MCP (http/sse only). */
  url?: string;
  /** How long to wait for it to answer (default 10000 ms; never time-scaled). */
  readyMs: number;
}

/** A server someone else runs: proxied, never started or killed. `{replica}` may be in the url. */
export interface ExistingServer extends ServerBase {
  kind: 'existing';
  transport: 'http' | 'sse';
  url: string;
}

export type ScenarioServer = MockServer | CommandServer | ExistingServer;

export interface LoadStream {
  /** Label (given, or `<server>.<tool>`, with `#<n>` appended when repeated). */
  name: string;
  server: string;
  tool: string;
  args: Record<string, unknown>;
  /** Calls per second at full rate. */
  ratePerSec: number;
  /** Linear ramp from 0 (0 = none). */
  rampMs: number;
  /** May be repeated; undefined (omitted): the tool's `idempotentHint` annotation, else false. */
  idempotent?: boolean;
  /** Per-call deadline; undefined = the manager's callTimeout. */
  timeoutMs?: number;
  toolErrorsAreSuccess: boolean;
  /** Max calls of this stream in flight; undefined = no cap. */
  concurrency?: number;
}

export interface ToxicSpec {
  type: ToxicType;
  /** downstream (default) | upstream. */
  stream: 'upstream' | 'downstream';
  /** In [0,1] (default 1). */
  toxicity: number;
  /** Toxiproxy attributes in Toxiproxy's units (ms; µs for slicer.delay; bytes; KB/s). */
  attributes: Record<string, number>;
}

export type FaultAction =
  | { kind: 'toxic'; toxic: ToxicSpec }
  | { kind: 'down' }
  | { kind: 'process'; process: 'kill' | 'restart' | 'pause' }
  | { kind: 'mcp'; mcp: McpFaultSpec }
  | { kind: 'deploy'; deploy: DeploySpec };

/**
 * A rolling deploy (durations in ms). The new version is the server's spec with these fields over it;
 * none of mock/command/env/url given = the same version (a pure scale with `replicas`).
 */
export interface DeploySpec {
  /** Mock fields given (merged over the server's mock; a transport is refused by the validator). */
  mock?: Partial<MockSpec>;
  command?: string[];
  /** Merged over the server's env. */
  env?: Record<string, string>;
  url?: string;
  /** New replica count (scale out / in); undefined = unchanged. */
  replicas?: number;
  /** Replicas replaced at once (≥ 1, default 1). */
  maxUnavailable: number;
  /** Pause after each batch, its new replicas watched (default 1000). */
  everyMs: number;
  /** Longest drain of an old replica; undefined = the manager's fleet.drainMs. */
  drainMs?: number;
}

/** An MCP-aware fault, as the runner applies it (durations in ms). */
export interface McpFaultSpec {
  match?: { method?: string; tool?: string };
  /** Share of matching requests hit (default 1). */
  share: number;
  /** The one action (relay/mcp-fault.ts). */
  action: McpAction;
}

export interface Fault {
  /** Position in `faults:`. */
  index: number;
  /** Given, or `fault-<index>`. */
  name: string;
  atMs: number;
  /** undefined = until the end of the run (for `restart`: started again at once). */
  forMs?: number;
  target: Target;
  action: FaultAction;
}

export interface InvariantRef {
  name: string;
  /** As written (durations remain strings such as "1500ms"); {} for a bare name. */
  params: Record<string, unknown>;
}

export interface Scenario {
  /** The file it came from (as given to the loader). */
  file: string;
  name: string;
  description?: string;
  seed?: number;
  durationMs: number;
  /** In file order. */
  servers: ScenarioServer[];
  /** Manager-wide settings (ms), a layer for `resolveSettings`; {} if the section is absent. */
  manager: DeepPartial<ResilienceSettings>;
  load: LoadStream[];
  faults: Fault[];
  steadyState: Threshold[];
  invariants: InvariantRef[];
  thresholds: Threshold[];
  /** The system under test (default the in-process manager). */
  sut: ScenarioSut;
}

/** The system under test: the in-process manager (white-box), or a gateway process (black-box). */
export type ScenarioSut = { kind: 'manager' } | GatewaySut;

export interface GatewaySut {
  kind: 'gateway';
  /** argv, placeholders unfilled. */
  command: string[];
  transport: 'http' | 'stdio';
  /** http: where it serves MCP, placeholders unfilled. */
  url?: string;
  config?: string;
  env: Record<string, string>;
  /** Absolute (resolved against the scenario's folder by the planner); undefined until planned. */
  cwd?: string;
  readyMs: number;
  /** `{server}` and `{tool}` filled per call. */
  toolName: string;
  protocol: 'auto' | 'modern' | 'legacy';
}
