/**
 * Manager overhead benchmark: calls/s and p50/p99 of `callTool('echo')` through McpManager vs a bare SDK
 * Client against the same mock server, in one run: stateful Streamable HTTP with JSON responses (an
 * in-process mock) and stdio (a mock child process), each at concurrency 1 and 32. A third side, the
 * endpoint connection alone (connection/, which the manager runs on), shows how the overhead splits
 * between the connection layer and the manager's pipeline.
 *
 * To keep a noisy machine (other processes, 2 cores) from favouring one side, each (transport, concurrency)
 * pair runs in 8 alternating rounds (bare, manager, manager, bare, ...): calls/s and percentiles aggregate
 * the rounds, and `vsBare` is the MEDIAN of the per-round ratios (each ratio compares two adjacent slices
 * of time, so load drifts cancel out).
 *
 * Standalone: `npx tsx bench/manager.bench.ts [durationMs] [http|stdio]` prints a table with manager/bare
 * ratios (both transports unless one is named).
 *
 * CPU per call: each side's process CPU time (user + system, `process.cpuUsage()`) over its rounds ÷ its
 * calls, in µs; `cpuVsBare` is the median of the per-round ratios. The servers run in child processes (the
 * HTTP mock too), so this is the client side's cost alone. CPU time per call moves far less than calls/s
 * when the machine is busy: a loaded core makes a call wait longer, not cost more.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  type ConnectionEndpoint,
  type ConnectionOptions,
  createConnection,
} from '../src/manager/connection/index.js';
import { DEFAULT_SETTINGS } from '../src/manager/defaults.js';
import { McpManager } from '../src/manager/index.js';
import { mockServerCommand } from '../src/mock/index.js';
import { childMock } from './macro-targets.js';

export interface ManagerBenchRow {
  /** `bare client` or `manager`. */
  name: string;
  transport: Transport;
  concurrency: number;
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  calls: number;
  errors: number;
  /** Manager rows: median over the rounds of (manager calls/s ÷ bare calls/s in the adjacent slice). */
  vsBare?: number;
  /** Process CPU time (user + system) per call, µs: the client side's cost (servers are child processes). */
  cpuUsPerCall: number;
  /** Non-bare rows: median over the rounds of (this side's CPU µs/call ÷ the bare client's). */
  cpuVsBare?: number;
}

interface Target {
  call: () => Promise<unknown>;
  close: () => Promise<void>;
}

/** `http-2026`: Streamable HTTP in the 2026-07-28 era (v2 client and server); `http`/`stdio`: 2025. */
type Transport = 'http' | 'http-2026' | 'stdio';

const ARGS = { message: 'hello' };
const TIMEOUT_MS = 10_000;
const ROUNDS = 8;

async function bareHttp(url: string): Promise<Target> {
  const client = new Client({ name: 'bench-bare', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return {
    call: () => client.callTool({ name: 'echo', arguments: ARGS }, undefined, { timeout: TIMEOUT_MS }),
    close: async () => {
      await transport.terminateSession().catch(() => {});
      await client.close();
    },
  };
}

/** The bare v2 client, pinned to 2026-07-28 (no handshake, no session). */
async function bareModern(url: string): Promise<Target> {
  const client = new ModernClient(
    { name: 'bench-bare', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new ModernTransport(new URL(url)));
  await client.listTools(); // as the manager does at start (the v2 client then validates against the catalogue)
  return {
    call: () => client.callTool({ name: 'echo', arguments: ARGS }, { timeout: TIMEOUT_MS }),
    close: () => client.close(),
  };
}

async function bareStdio(command: string[]): Promise<Target> {
  const [cmd, ...args] = command as [string, ...string[]];
  const client = new Client({ name: 'bench-bare', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: cmd, args, stderr: 'ignore' }));
  return {
    call: () => client.callTool({ name: 'echo', arguments: ARGS }, undefined, { timeout: TIMEOUT_MS }),
    close: () => client.close(),
  };
}

async function managed(
  endpoint: { url: string } | { command: string[] },
  protocol: 'auto' | 'modern' | 'legacy' = 'auto',
): Promise<Target> {
  const manager = new McpManager({
    servers: [{ name: 'bench', endpoints: [endpoint] }],
    // Generous limits so the figures measure the pipeline, not a bulkhead or a deadline.
    settings: { callTimeoutMs: TIMEOUT_MS, pool: { maxInFlight: 256, queue: 1024 }, protocol },
  });
  await manager.start({ connectTimeoutMs: 20_000 });
  await manager.callTool('bench', 'echo', ARGS);
  return { call: () => manager.callTool('bench', 'echo', ARGS), close: () => manager.close() };
}

/** Closed loop: `concurrency` workers back to back for `durationMs`; latencies appended to `lat`. */
async function closedLoop(
  t: Target,
  concurrency: number,
  durationMs: number,
  lat: number[],
): Promise<{ calls: number; errors: number; seconds: number; cpuUs: number }> {
  let calls = 0;
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await t.call();
        calls++;
      } catch {
        errors++;
      }
      lat.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpu0);
  return { calls, errors, seconds: (performance.now() - start) / 1000, cpuUs: cpu.user + cpu.system };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/**
 * Runs the sides (bare client first) in alternating rounds for one transport/concurrency pair; every other
 * side gets `vsBare` = the median over rounds of its calls/s ÷ the bare client's in the same round.
 */
async function pair(
  transport: Transport,
  concurrency: number,
  targets: Array<{ name: string; t: Target }>,
  durationMs: number,
): Promise<ManagerBenchRow[]> {
  const sides = targets.map((x) => ({
    ...x,
    lat: [] as number[],
    calls: 0,
    errors: 0,
    seconds: 0,
    cpuUs: 0,
    ratios: [] as number[],
    cpuRatios: [] as number[],
  }));
  const roundMs = durationMs / ROUNDS;
  // Warm-up: JIT, sockets, sessions.
  for (const s of sides) await closedLoop(s.t, concurrency, Math.min(300, roundMs), []);
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    const rates = new Map<string, number>();
    const cpus = new Map<string, number>();
    for (const s of order) {
      const res = await closedLoop(s.t, concurrency, roundMs, s.lat);
      s.calls += res.calls;
      s.errors += res.errors;
      s.seconds += res.seconds;
      s.cpuUs += res.cpuUs;
      rates.set(s.name, res.calls / res.seconds);
      cpus.set(s.name, res.cpuUs / Math.max(1, res.calls));
    }
    const bare = rates.get(sides[0]?.name ?? '') as number;
    const bareCpu = cpus.get(sides[0]?.name ?? '') as number;
    for (const s of sides.slice(1)) {
      s.ratios.push((rates.get(s.name) as number) / bare);
      s.cpuRatios.push((cpus.get(s.name) as number) / bareCpu);
    }
  }
  return sides.map((s, i): ManagerBenchRow => {
    const sorted = s.lat.sort((a, b) => a - b);
    const row: ManagerBenchRow = {
      name: s.name,
      transport,
      concurrency,
      callsPerSec: s.calls / s.seconds,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      calls: s.calls,
      errors: s.errors,
      cpuUsPerCall: s.cpuUs / Math.max(1, s.calls),
    };
    if (i > 0) {
      row.vsBare = median(s.ratios);
      row.cpuVsBare = median(s.cpuRatios);
    }
    return row;
  });
}

async function connectionOnly(
  endpoint: ConnectionEndpoint,
  options: ConnectionOptions = {},
): Promise<Target> {
  const conn = createConnection(endpoint, options);
  await conn.connect();
  return { call: () => conn.callTool('echo', ARGS, { timeoutMs: TIMEOUT_MS }), close: () => conn.close() };
}

/**
 * Runs the whole comparison (≈ 4 × 2 × durationMs plus start-up) and returns one row per side, transport
 * and concurrency; manager rows carry `vsBare`.
 * @param opts.durationMs measured time per side and pair, split into alternating rounds (default 3000).
 */
export async function benchManager(
  opts: { durationMs?: number; transports?: ReadonlyArray<Transport> } = {},
): Promise<ManagerBenchRow[]> {
  const durationMs = opts.durationMs ?? 3000;
  const transports = opts.transports ?? ['http', 'http-2026', 'stdio'];
  const rows: ManagerBenchRow[] = [];
  const run = async (transport: Transport, sides: Array<{ name: string; t: Target }>) => {
    try {
      for (const c of [1, 32]) rows.push(...(await pair(transport, c, sides, durationMs)));
    } finally {
      for (const s of sides) await s.t.close();
    }
  };
  if (transports.includes('http')) await benchHttp(run);
  if (transports.includes('http-2026')) await benchModern(run);
  if (transports.includes('stdio')) {
    const command = mockServerCommand({ transport: 'stdio' });
    await run('stdio', [
      { name: 'bare client', t: await bareStdio(command) },
      { name: 'manager', t: await managed({ command }) },
      { name: 'connection only', t: await connectionOnly({ id: 'bench', transport: 'stdio', command }) },
    ]);
  }
  return rows;
}

type RunSides = (transport: Transport, sides: Array<{ name: string; t: Target }>) => Promise<void>;

async function benchHttp(run: RunSides): Promise<void> {
  // The mock in a child process: this process's CPU time is then the client side's alone.
  const server = await childMock();
  try {
    await run('http', [
      { name: 'bare client', t: await bareHttp(server.url) },
      { name: 'manager', t: await managed({ url: server.url }) },
      {
        name: 'connection only',
        t: await connectionOnly({ id: 'bench', transport: 'http', url: server.url }),
      },
    ]);
  } finally {
    await server.close();
  }
}

async function benchModern(run: RunSides): Promise<void> {
  const server = await childMock('modern');
  try {
    await run('http-2026', [
      { name: 'bare client', t: await bareModern(server.url) },
      { name: 'manager', t: await managed({ url: server.url }, 'modern') },
      {
        // with the manager's defaults that reach the connection (the answer size limit buffers JSON answers)
        name: 'connection only',
        t: await connectionOnly(
          { id: 'bench', transport: 'http', url: server.url },
          { protocol: 'modern', maxResponseBytes: DEFAULT_SETTINGS.maxResponseBytes },
        ),
      },
    ]);
  } finally {
    await server.close();
  }
}

/**
 * manager ÷ bare per transport and concurrency: calls/s (`http c1`) and CPU µs per call (`http c1 cpu`),
 * e.g. `{ 'http c1': 0.93, 'http c1 cpu': 1.12, ... }`.
 */
export function managerRatios(rows: ManagerBenchRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    if (r.name !== 'manager') continue;
    if (r.vsBare !== undefined) out[`${r.transport} c${r.concurrency}`] = r.vsBare;
    if (r.cpuVsBare !== undefined) out[`${r.transport} c${r.concurrency} cpu`] = r.cpuVsBare;
  }
  return out;
}

function formatTable(rows: ManagerBenchRow[]): string {
  const lines = [
    'transport  conc  side             calls/s     p50 ms   p99 ms  errors  vs bare  CPU µs/call  CPU vs bare',
  ];
  for (const r of rows) {
    lines.push(
      [
        r.transport.padEnd(9),
        String(r.concurrency).padStart(4),
        ` ${r.name.padEnd(15)}`,
        r.callsPerSec.toFixed(0).padStart(9),
        r.p50Ms.toFixed(2).padStart(10),
        r.p99Ms.toFixed(2).padStart(8),
        String(r.errors).padStart(7),
        (r.vsBare === undefined ? '' : `${r.vsBare.toFixed(2)}×`).padStart(8),
        r.cpuUsPerCall.toFixed(1).padStart(12),
        r.cpuVsBare === undefined ? '' : `${r.cpuVsBare.toFixed(2)}×`.padStart(12),
      ].join(' '),
    );
  }
  return lines.join('\n');
}

const direct = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (direct) {
  const durationMs = Number(process.argv[2] ?? 3000);
  const only = process.argv[3];
  if (only !== undefined && only !== 'http' && only !== 'http-2026' && only !== 'stdio')
    throw new RangeError(`transport must be http, http-2026 or stdio, got ${JSON.stringify(only)}`);
  const rows = await benchManager({ durationMs, ...(only ? { transports: [only as Transport] } : {}) });
  process.stdout.write(`${formatTable(rows)}\n`);
  process.stdout.write(`${JSON.stringify(managerRatios(rows))}\n`);
}
