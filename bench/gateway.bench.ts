/**
 * Gateway overhead: `echo` calls/s, p50 and CPU per call through `mcp-chaos gateway` ÷ direct to the same
 * server, in both eras — 2025 (v1 client, stateful v1 mock) and 2026-07-28 (v2 client in its modern era, a
 * modern-only mock). The mock and the gateway run as child processes; the gateway exactly as a user starts
 * it (`mcp-chaos gateway --config …`, through tsx).
 *
 * Capacity: 32 workers, closed loop, 8 alternating rounds (direct, gateway, gateway, direct, …); `vsDirect`
 * is the median of the per-round ratios (adjacent slices of time, so load drift cancels out). Latency: one
 * worker (p50 of each side, the same alternation). CPU per call: user + system time of every process on the
 * path (this process's `process.cpuUsage()` + the children's from /proc/PID/stat) over the round ÷ its
 * calls; `cpuVsDirect` the median of per-round ratios; the gateway's own share is reported too.
 *
 * Standalone: `npx tsx bench/gateway.bench.ts [durationMs]`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { childMock } from './macro-targets.js';
import { type GatewayChild, startGatewayChild } from './support/gateway-child.js';

type Era = '2025' | '2026';
const ARGS = { message: 'hello' };
const ROUNDS = 8;
const TICKS_PER_SEC = 100; // Linux USER_HZ

export interface GatewayBenchRow {
  era: Era;
  concurrency: number;
  directCallsPerSec: number;
  gatewayCallsPerSec: number;
  /** Median of per-round gateway ÷ direct calls/s. */
  vsDirect: number;
  directP50Ms: number;
  gatewayP50Ms: number;
  /** CPU µs per call of every process on the path. */
  directCpuUs: number;
  gatewayCpuUs: number;
  /** The gateway process's own CPU µs per call. */
  gatewayOwnCpuUs: number;
  cpuVsDirect: number;
  errors: number;
}

interface Side {
  call: () => Promise<unknown>;
  close: () => Promise<void>;
}

async function client(era: Era, url: string): Promise<Side> {
  if (era === '2025') {
    const c = new Client({ name: 'bench', version: '0.0.0' });
    const t = new StreamableHTTPClientTransport(new URL(url));
    await c.connect(t);
    return { call: () => c.callTool({ name: 'echo', arguments: ARGS }), close: () => c.close() };
  }
  const c = new ModernClient({ name: 'bench', version: '0.0.0' }, {
    versionNegotiation: { mode: 'auto' },
  } as never);
  await c.connect(new ModernTransport(new URL(url)));
  return { call: () => c.callTool({ name: 'echo', arguments: ARGS }), close: () => c.close() };
}

/** CPU seconds (user + system) a process has used, from /proc (0 when unreadable: not Linux). */
function procCpu(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SEC;
  } catch {
    return 0;
  }
}

const selfCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function startGatewayFor(upstream: string, dir: string): Promise<GatewayChild> {
  return startGatewayChild(
    dir,
    `settings: {callTimeoutMs: 10s, health: {interval: 1s, timeout: 2s}}
servers:
  - name: bench
    endpoints: ["${upstream}"]
gateway:
  toolNames: "{tool}"
  rate: {perClient: 1000000/s, burst: 1000000, inFlight: 100000}
`,
  );
}

interface Slice {
  calls: number;
  errors: number;
  seconds: number;
  cpu: number;
  gatewayCpu: number;
  latencies: number[];
}

async function slice(
  call: () => Promise<unknown>,
  concurrency: number,
  ms: number,
  pids: (number | undefined)[],
  gatewayPid?: number,
): Promise<Slice> {
  const cpu0 = selfCpu() + pids.reduce((a: number, p) => a + procCpu(p), 0);
  const gw0 = procCpu(gatewayPid);
  const latencies: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const s = performance.now();
        try {
          await call();
          latencies.push(performance.now() - s);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return {
    calls: latencies.length,
    errors,
    seconds,
    cpu: selfCpu() + pids.reduce((a: number, p) => a + procCpu(p), 0) - cpu0,
    gatewayCpu: procCpu(gatewayPid) - gw0,
    latencies,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.floor((s.length - 1) / 2)] as number);
};

async function measure(era: Era, durationMs: number, dir: string): Promise<GatewayBenchRow[]> {
  const mock = await childMock(era === '2025' ? 'legacy' : 'modern');
  const gw = await startGatewayFor(mock.url, dir);
  const mockPid = mock.pid;
  const direct = await client(era, mock.url);
  const via = await client(era, gw.url);
  try {
    for (const s of [direct, via]) for (let i = 0; i < 200; i++) await s.call(); // warm up both paths
    const rows: GatewayBenchRow[] = [];
    for (const concurrency of [32, 1]) {
      const d: Slice[] = [];
      const g: Slice[] = [];
      const ms = durationMs / ROUNDS;
      for (let r = 0; r < ROUNDS; r++) {
        const order = r % 2 === 0 ? ['d', 'g'] : ['g', 'd'];
        for (const side of order) {
          if (side === 'd') d.push(await slice(direct.call, concurrency, ms, [mockPid]));
          else g.push(await slice(via.call, concurrency, ms, [mockPid, gw.pid], gw.pid));
        }
      }
      const sum = (xs: Slice[], f: (s: Slice) => number) => xs.reduce((a: number, s) => a + f(s), 0);
      const rate = (xs: Slice[]) => sum(xs, (s) => s.calls) / sum(xs, (s) => s.seconds);
      const cpuUs = (xs: Slice[], f: (s: Slice) => number) => (sum(xs, f) / sum(xs, (s) => s.calls)) * 1e6;
      rows.push({
        era,
        concurrency,
        directCallsPerSec: rate(d),
        gatewayCallsPerSec: rate(g),
        vsDirect: median(
          d.map((x, i) => (g[i] as Slice).calls / (g[i] as Slice).seconds / (x.calls / x.seconds)),
        ),
        directP50Ms: median(d.flatMap((x) => x.latencies)),
        gatewayP50Ms: median(g.flatMap((x) => x.latencies)),
        directCpuUs: cpuUs(d, (s) => s.cpu),
        gatewayCpuUs: cpuUs(g, (s) => s.cpu),
        gatewayOwnCpuUs: cpuUs(g, (s) => s.gatewayCpu),
        cpuVsDirect: median(d.map((x, i) => (g[i] as Slice).cpu / (g[i] as Slice).calls / (x.cpu / x.calls))),
        errors: sum(d, (s) => s.errors) + sum(g, (s) => s.errors),
      });
    }
    return rows;
  } finally {
    await via.close().catch(() => {});
    await direct.close().catch(() => {});
    await gw.close();
    await mock.close();
  }
}

export async function benchGateway(opts: { durationMs?: number } = {}): Promise<{ rows: GatewayBenchRow[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
  try {
    const rows: GatewayBenchRow[] = [];
    for (const era of ['2025', '2026'] as const)
      rows.push(...(await measure(era, opts.durationMs ?? 4000, dir)));
    return { rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { rows } = await benchGateway({ durationMs: Number(process.argv[2] ?? 4000) });
  console.table(
    rows.map((r) => ({
      era: r.era,
      conc: r.concurrency,
      'direct/s': Math.round(r.directCallsPerSec),
      'gateway/s': Math.round(r.gatewayCallsPerSec),
      'gw÷direct': r.vsDirect.toFixed(2),
      'p50 direct': r.directP50Ms.toFixed(2),
      'p50 gw': r.gatewayP50Ms.toFixed(2),
      'cpu µs direct': r.directCpuUs.toFixed(0),
      'cpu µs gw path': r.gatewayCpuUs.toFixed(0),
      'gw own µs': r.gatewayOwnCpuUs.toFixed(0),
      errors: r.errors,
    })),
  );
}
