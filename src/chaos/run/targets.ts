/**
 * Starting the servers a plan names, one target per endpoint:
 * - a mock: in-process (`startMockServer`, port 0), or as a child process when a process fault targets it;
 *   a stdio mock is handed to the manager as a command;
 * - a command: spawned per replica (argv, never a shell) with `{port}`/`{replica}` filled, ready once it
 *   answers MCP `initialize` (HTTP) within `ready`; a stdio command is spawned by the manager;
 * - existing: just a URL.
 * Children can be killed, paused, resumed and started again on the same port (process faults).
 */
import type { Clock } from '../../core/clock.js';
import { ChaosError } from '../../core/errors.js';
import { outputTail } from '../../core/output-tail.js';
import type { Rng } from '../../core/rng.js';
import {
  type MockServerHandle,
  type MockServerSpec,
  mockServerCommand,
  startMockServer,
} from '../../mock/index.js';
import { fillCommand, type MockSpec, type PlannedEndpoint, type PlannedServer } from '../scenario/index.js';
import { ManagedProcess } from './managed-process.js';
import { allocatePorts } from './ports.js';
import { mcpAnswers, pollUntil, tcpAccepts } from './ready.js';
import type { RunLogEntry } from './run-options.js';

/** How long a child mock gets to start (ms): it runs the TypeScript CLI through tsx. */
const MOCK_CHILD_READY_MS = 20_000;

export interface Target {
  id: string;
  server: string;
  /** HTTP-like endpoints: where the server really listens (the proxy's upstream), and its URL. */
  http?: { host: string; port: number; url: string; transport: 'http' | 'sse' };
  /** stdio endpoints: the command the manager spawns (or, relayed, the stdio relay runs). */
  stdio?: { command: string[]; env: Record<string, string>; cwd?: string };
  /** A relayed stdio endpoint: the proxy address its bridge connects to. */
  bridge?: { host: string; port: number };
  /** A child process the runner owns. */
  process?: ManagedProcess;
  /** How to wait for the child to be ready after a (re)start. */
  ready?: () => Promise<void>;
  /** An in-process mock server. */
  mock?: MockServerHandle;
  proxied: boolean;
}

export interface StartTargetsOptions {
  clock: Clock;
  rng: Rng;
  signal?: AbortSignal;
  /** Endpoint ids some process fault targets (their mocks must run as child processes). */
  processFaultTargets: ReadonlySet<string>;
  log: (e: RunLogEntry) => void;
  /** Called as soon as something is started, so rollback can stop it even if a later start fails. */
  onStarted: (t: Target) => void;
  /** Where a mock running as a child process writes its execution log. */
  executionLog: (endpoint: string) => string;
}

/** Mock spec of the planner → the mock package's spec. */
export function toMockSpec(m: MockSpec, seed: number, name: string, replica = 0): MockServerSpec {
  const eras = m.protocol;
  const spec: MockServerSpec = {
    transport: m.transport,
    protocol: typeof eras === 'string' ? eras : (eras[replica % eras.length] as MockServerSpec['protocol']),
    session: m.session,
    response: m.response,
    errorRate: m.errorRate,
    seed,
    name,
  };
  if (m.latency.p50Ms > 0 || m.latency.p99Ms > 0) {
    spec.latency =
      m.latency.p50Ms === m.latency.p99Ms
        ? { fixedMs: m.latency.p50Ms }
        : { p50Ms: m.latency.p50Ms, p99Ms: m.latency.p99Ms };
  }
  return spec;
}

function hostPort(url: string, id: string): { host: string; port: number } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ChaosError('INFRASTRUCTURE', `${id}: invalid url "${url}"`);
  }
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  const host = u.hostname === 'localhost' ? '127.0.0.1' : u.hostname.replace(/^\[|\]$/g, '');
  return { host, port };
}

/** Starts every endpoint's target, side by side. A failure rejects (what started is already reported). */
export async function startTargets(servers: PlannedServer[], o: StartTargetsOptions): Promise<Target[]> {
  const endpoints = servers.flatMap((s) => s.endpoints);
  const needPort = endpoints.filter(
    (e) =>
      (e.kind === 'command' && e.needsPort) ||
      (e.kind === 'mock' && e.transport === 'http' && o.processFaultTargets.has(e.id)),
  );
  const ports = await allocatePorts(needPort.length);
  const portOf = new Map(needPort.map((e, i) => [e.id, ports[i] as number]));
  // allSettled: a failure must not leave other starts running unseen while rollback tears down.
  return firstRejection(await Promise.allSettled(endpoints.map((e) => startOne(e, portOf.get(e.id), o))));
}

/** Starts one endpoint's target (a deploy's replica), with a port of its own when it needs one. */
export async function startTarget(e: PlannedEndpoint, o: StartTargetsOptions): Promise<Target> {
  const needs =
    (e.kind === 'command' && e.needsPort) ||
    (e.kind === 'mock' && e.transport === 'http' && o.processFaultTargets.has(e.id));
  const port = needs ? (await allocatePorts(1))[0] : undefined;
  return startOne(e, port, o);
}

/** The values, or throws the first rejection's reason. */
export function firstRejection<T>(results: PromiseSettledResult<T>[]): T[] {
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

async function startOne(
  e: PlannedEndpoint,
  port: number | undefined,
  o: StartTargetsOptions,
): Promise<Target> {
  const base = { id: e.id, server: e.server, proxied: e.proxied };
  const seed = o.rng.fork(`mock:${e.id}`).int(0, 0x7fffffff);
  if (e.kind === 'existing') {
    const t: Target = { ...base, http: { ...hostPort(e.url, e.id), url: e.url, transport: e.transport } };
    o.onStarted(t);
    return t;
  }
  if (e.kind === 'mock') {
    const spec = toMockSpec(e.mock, seed, `mock-${e.id}`, e.replica);
    if (e.transport === 'stdio') {
      const command = [...mockServerCommand(spec), '--execution-log', o.executionLog(e.id)];
      const t: Target = { ...base, stdio: { command, env: {} } };
      o.onStarted(t);
      return t;
    }
    if (!o.processFaultTargets.has(e.id)) {
      const mock = await startMockServer(
        { ...spec, host: '127.0.0.1', port: 0 },
        { clock: o.clock, rng: o.rng.fork(`mock-rng:${e.id}`) },
      );
      const t: Target = {
        ...base,
        mock,
        http: { host: '127.0.0.1', port: mock.port, url: mock.url, transport: 'http' },
      };
      o.onStarted(t);
      o.log({
        level: 'debug',
        msg: 'mock server started in-process',
        fields: { endpoint: e.id, url: mock.url },
      });
      return t;
    }
    const p = port as number;
    const url = `http://127.0.0.1:${p}/mcp`;
    const proc = new ManagedProcess({
      label: e.id,
      argv: [
        ...mockServerCommand({ ...spec, host: '127.0.0.1', port: p }),
        '--execution-log',
        o.executionLog(e.id),
      ],
    });
    const ready = () => waitReady(proc, '127.0.0.1', p, url, MOCK_CHILD_READY_MS, e.id, o);
    const t: Target = {
      ...base,
      process: proc,
      ready,
      http: { host: '127.0.0.1', port: p, url, transport: 'http' },
    };
    o.onStarted(t);
    await startProcess(t, o);
    return t;
  }
  // command
  const filled = fillCommand(e, { replica: e.replica, ...(port !== undefined ? { port } : {}) });
  if (e.transport === 'stdio') {
    const t: Target = {
      ...base,
      stdio: { command: filled.command, env: filled.env, ...(e.cwd ? { cwd: e.cwd } : {}) },
    };
    o.onStarted(t);
    return t;
  }
  if (filled.url === undefined)
    throw new ChaosError('INFRASTRUCTURE', `${e.id}: an HTTP command server needs a url`);
  const addr = hostPort(filled.url, e.id);
  const proc = new ManagedProcess({
    label: e.id,
    argv: filled.command,
    env: filled.env,
    ...(e.cwd ? { cwd: e.cwd } : {}),
  });
  const url = filled.url;
  const ready = () =>
    waitReady(proc, addr.host, addr.port, e.transport === 'http' ? url : undefined, e.readyMs, e.id, o);
  const t: Target = { ...base, process: proc, ready, http: { ...addr, url, transport: e.transport } };
  o.onStarted(t);
  await startProcess(t, o);
  return t;
}

/** (Re)starts a target's child and waits until it is ready. */
export async function startProcess(t: Target, o: Pick<StartTargetsOptions, 'log'>): Promise<void> {
  const proc = t.process;
  if (!proc) throw new ChaosError('INTERNAL', `${t.id} has no process to start`);
  const pid = await proc.start();
  o.log({ level: 'info', msg: 'process started', fields: { endpoint: t.id, pid, argv: proc.spec.argv } });
  await t.ready?.();
}

async function waitReady(
  proc: ManagedProcess,
  host: string,
  port: number,
  mcpUrl: string | undefined,
  timeoutMs: number,
  label: string,
  o: Pick<StartTargetsOptions, 'clock' | 'signal'>,
): Promise<void> {
  const gaveUp = () => {
    const x = proc.exit;
    if (!x) return undefined;
    // its command and its own last words (outputTail keeps the error line a Node crash buries)
    const out = outputTail(proc.output()).join(' | ');
    const cmd = proc.spec.argv.join(' ');
    return `process exited (code ${x.code}, signal ${x.signal}): ${cmd}${out ? `: ${out}` : ''}`;
  };
  const base = { clock: o.clock, timeoutMs, label, gaveUp, ...(o.signal ? { signal: o.signal } : {}) };
  const deadline = o.clock.now() + timeoutMs;
  await pollUntil(() => tcpAccepts(host, port), base);
  if (mcpUrl) {
    await pollUntil(() => mcpAnswers(mcpUrl), { ...base, timeoutMs: Math.max(1, deadline - o.clock.now()) });
  }
}
