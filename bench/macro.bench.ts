/**
 * Macro benchmark: end-to-end `callTool('echo')` throughput and latency, all in ONE process and one run so
 * the ratios between configurations are meaningful:
 *   HTTP (stateful Streamable HTTP, JSON responses, in-process mock server):
 *     bare SDK client · manager · manager + embedded proxy (no toxics) · manager + proxy + latency toxic
 *   HTTP with the same mock in a child process (on the other core): bare client · manager · manager + proxy
 *   stdio (mock server as a child process): bare SDK client · manager
 * The configurations of one transport are all started first, then measured together: capacity = closed
 * loop at `concurrency` workers (successful calls/s), in alternating rounds (A B C D, D C B A, …) so that
 * drifting machine load hits every configuration alike; then each one's latency with the constant-rate
 * driver at `rateFraction` of its own capacity, measured from each call's intended start (corrected for
 * coordinated omission). The manager runs with default settings except a long call
 * timeout, health probes every 1 s with a 2 s timeout, and non-idempotent calls (no retries).
 *
 * Standalone: `npx tsx bench/macro.bench.ts [durationMs]`.
 */
import { pathToFileURL } from 'node:url';
import { Toxiproxy } from 'toxiproxy-node-client';
import { mockServerCommand, startMockServer } from '../src/mock/index.js';
import { startToxiproxy } from '../src/proxy/index.js';
import { bareHttp, bareStdio, type Call, childMock, managed, type Target } from './macro-targets.js';
import { LatencyHistogram } from './support/histogram.js';
import { closedLoop, constantRate } from './support/load.js';

export interface MacroOptions {
  /** Length of each closed-loop and each constant-rate measurement, ms (default 3000). */
  durationMs?: number;
  /** Capacity is measured in this many alternating rounds of durationMs ÷ rounds each (default 3). */
  rounds?: number;
  /** Warm-up of each configuration before its first round, ms (default 500). */
  warmupMs?: number;
  /** Closed-loop workers (default 32). */
  concurrency?: number;
  /** Constant rate as a share of the measured capacity, in (0, 1] (default 0.7). */
  rateFraction?: number;
  /** Latency of the toxic in configuration (d), ms (default 5). */
  latencyToxicMs?: number;
  /** Include the HTTP configurations (default true). */
  http?: boolean;
  /** Include the HTTP configurations against a mock in a child process (default true). */
  httpChild?: boolean;
  /** Include the stdio configurations (default true). */
  stdio?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface MacroRow {
  /** `bare client`, `manager`, `manager + proxy`, `manager + proxy + latency 5ms`. */
  name: string;
  /** `http`: in-process mock; `http-child`: the same mock in a child process (other core); `stdio`. */
  transport: 'http' | 'http-child' | 'stdio';
  concurrency: number;
  /** Closed-loop throughput of successful calls at `concurrency` (capacity), calls/s. */
  callsPerSec: number;
  /** Closed-loop latency percentiles (not corrected; for reference), ms. */
  closedP50Ms: number;
  closedP99Ms: number;
  /** Offered constant rate, calls/s (= rateFraction × callsPerSec). */
  rateCallsPerSec: number;
  /** Calls completed per second during the constant-rate run (≈ the offered rate when it keeps up). */
  achievedCallsPerSec: number;
  /** Constant-rate latency from each call's intended start, ms. */
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Failed calls (closed loop + constant rate). */
  errors: number;
  /** The first failure's message, when any failed. */
  firstError?: string;
}

export interface MacroResult {
  rows: MacroRow[];
  /** Capacity ratios; undefined when a row is missing. */
  ratios: {
    httpManagerVsBare?: number;
    httpProxyVsManager?: number;
    httpLatencyToxicVsProxy?: number;
    httpChildManagerVsBare?: number;
    httpChildProxyVsManager?: number;
    stdioManagerVsBare?: number;
  };
}

type Settings = Required<Omit<MacroOptions, 'log' | 'stdio' | 'http' | 'httpChild'>>;

interface Config {
  name: string;
  transport: MacroRow['transport'];
  target: Target;
}

/**
 * Measures a group of live configurations: warm-up; capacity in `rounds` alternating rounds (A B C, C B A,
 * …) so drifting machine load hits every configuration alike; then each one's corrected latency at
 * `rateFraction` of its own capacity.
 */
async function measureGroup(
  configs: Config[],
  o: Settings,
  log: (line: string) => void,
): Promise<MacroRow[]> {
  const state = configs.map((c) => {
    const s = {
      c,
      firstError: undefined as string | undefined,
      calls: 0,
      errors: 0,
      seconds: 0,
      histogram: new LatencyHistogram(),
      call: (() => Promise.resolve()) as Call,
    };
    s.call = () =>
      c.target.call().catch((e: unknown) => {
        s.firstError ??= e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        throw e;
      });
    return s;
  });
  const closedOpts = { concurrency: o.concurrency, warmupMs: 0 };
  for (const s of state) await closedLoop(s.call, { ...closedOpts, durationMs: o.warmupMs });
  for (let r = 0; r < o.rounds; r++) {
    for (const s of r % 2 === 0 ? state : [...state].reverse()) {
      const res = await closedLoop(s.call, {
        ...closedOpts,
        durationMs: o.durationMs / o.rounds,
        histogram: s.histogram,
      });
      s.calls += res.calls;
      s.errors += res.errors;
      s.seconds += res.seconds;
    }
  }
  const rows: MacroRow[] = [];
  for (const s of state) {
    const capacity = (s.calls - s.errors) / s.seconds;
    const rate = Math.max(1, Math.round(capacity * o.rateFraction));
    const open = await constantRate(s.call, {
      ratePerSec: rate,
      durationMs: o.durationMs,
      maxOutstanding: o.concurrency * 8,
    });
    const errors = s.errors + open.errors;
    rows.push({
      name: s.c.name,
      transport: s.c.transport,
      concurrency: o.concurrency,
      callsPerSec: capacity,
      closedP50Ms: s.histogram.percentile(50),
      closedP99Ms: s.histogram.percentile(99),
      rateCallsPerSec: rate,
      achievedCallsPerSec: open.callsPerSec,
      p50Ms: open.p50Ms,
      p99Ms: open.p99Ms,
      p999Ms: open.p999Ms,
      maxMs: open.maxMs,
      errors,
      ...(s.firstError === undefined ? {} : { firstError: s.firstError }),
    });
    log(
      `  ${s.c.transport} ${s.c.name}: ${Math.round(capacity)} calls/s; at ${rate}/s p50 ${open.p50Ms.toFixed(2)} ` +
        `p99 ${open.p99Ms.toFixed(2)} ms; ${errors} errors${s.firstError ? ` (${s.firstError})` : ''}`,
    );
  }
  return rows;
}

/** Starts the configurations one by one, measures them together, closes whatever was started. */
async function runGroup(
  starters: Array<{ name: string; transport: MacroRow['transport']; start: () => Promise<Target> }>,
  o: Settings,
  log: (line: string) => void,
): Promise<MacroRow[]> {
  const configs: Config[] = [];
  try {
    for (const st of starters)
      configs.push({ name: st.name, transport: st.transport, target: await st.start() });
    return await measureGroup(configs, o, log);
  } finally {
    await Promise.allSettled(configs.map((c) => c.target.close()));
  }
}

async function httpRows(o: Settings, log: (line: string) => void): Promise<MacroRow[]> {
  const mock = await startMockServer({ session: 'stateful', response: 'json', name: 'bench' });
  const proxyServer = await startToxiproxy({ host: '127.0.0.1', port: 0, seed: 1 });
  try {
    const toxiproxy = new Toxiproxy(proxyServer.url);
    const upstream = `127.0.0.1:${mock.port}`;
    const mcpPath = new URL(mock.url).pathname;
    const plain = await toxiproxy.createProxy({ name: 'bench-plain', listen: '127.0.0.1:0', upstream });
    const slow = await toxiproxy.createProxy({ name: 'bench-latency', listen: '127.0.0.1:0', upstream });
    await slow.addToxic({
      name: 'latency',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: o.latencyToxicMs, jitter: 0 },
    });
    return await runGroup(
      [
        { name: 'bare client', transport: 'http', start: () => bareHttp(mock.url) },
        { name: 'manager', transport: 'http', start: () => managed({ url: mock.url }) },
        {
          name: 'manager + proxy',
          transport: 'http',
          start: () => managed({ url: `http://${plain.listen}${mcpPath}` }),
        },
        {
          name: `manager + proxy + latency ${o.latencyToxicMs}ms`,
          transport: 'http',
          start: () => managed({ url: `http://${slow.listen}${mcpPath}` }),
        },
      ],
      o,
      log,
    );
  } finally {
    await proxyServer.close();
    await mock.close();
  }
}

/** The same HTTP configurations with the mock on the other core: shows what the shared event loop costs. */
async function httpChildRows(o: Settings, log: (line: string) => void): Promise<MacroRow[]> {
  const mock = await childMock();
  const proxyServer = await startToxiproxy({ host: '127.0.0.1', port: 0, seed: 2 });
  try {
    const proxy = await new Toxiproxy(proxyServer.url).createProxy({
      name: 'bench-child',
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${mock.port}`,
    });
    const proxied = `http://${proxy.listen}${new URL(mock.url).pathname}`;
    return await runGroup(
      [
        { name: 'bare client', transport: 'http-child', start: () => bareHttp(mock.url) },
        { name: 'manager', transport: 'http-child', start: () => managed({ url: mock.url }) },
        { name: 'manager + proxy', transport: 'http-child', start: () => managed({ url: proxied }) },
      ],
      o,
      log,
    );
  } finally {
    await proxyServer.close();
    await mock.close();
  }
}

/** Runs every configuration; resources are closed even when one throws. */
export async function benchMacro(options: MacroOptions = {}): Promise<MacroResult> {
  const o = {
    durationMs: options.durationMs ?? 3000,
    warmupMs: options.warmupMs ?? 500,
    concurrency: options.concurrency ?? 32,
    rateFraction: options.rateFraction ?? 0.7,
    latencyToxicMs: options.latencyToxicMs ?? 5,
    rounds: options.rounds ?? 3,
  };
  if (!(o.durationMs > 0)) throw new RangeError(`durationMs must be > 0, got ${o.durationMs}`);
  if (!(o.rateFraction > 0 && o.rateFraction <= 1))
    throw new RangeError(`rateFraction must be in (0, 1], got ${o.rateFraction}`);
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1)
    throw new RangeError(`concurrency must be an integer >= 1, got ${o.concurrency}`);
  if (!Number.isInteger(o.rounds) || o.rounds < 1)
    throw new RangeError(`rounds must be an integer >= 1, got ${o.rounds}`);
  const log = options.log ?? (() => {});
  const rows: MacroRow[] = [];

  if (options.http ?? true) rows.push(...(await httpRows(o, log)));
  if (options.httpChild ?? true) rows.push(...(await httpChildRows(o, log)));
  if (options.stdio ?? true) {
    const argv = mockServerCommand({ transport: 'stdio', name: 'bench' });
    const stdio = await runGroup(
      [
        { name: 'bare client', transport: 'stdio', start: () => bareStdio(argv) },
        { name: 'manager', transport: 'stdio', start: () => managed({ command: argv }) },
      ],
      o,
      log,
    );
    rows.push(...stdio);
  }

  const cap = (transport: string, name: string) =>
    rows.find((r) => r.transport === transport && r.name === name)?.callsPerSec;
  const ratio = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
  return {
    rows,
    ratios: {
      httpManagerVsBare: ratio(cap('http', 'manager'), cap('http', 'bare client')),
      httpProxyVsManager: ratio(cap('http', 'manager + proxy'), cap('http', 'manager')),
      httpLatencyToxicVsProxy: ratio(
        cap('http', `manager + proxy + latency ${o.latencyToxicMs}ms`),
        cap('http', 'manager + proxy'),
      ),
      httpChildManagerVsBare: ratio(cap('http-child', 'manager'), cap('http-child', 'bare client')),
      httpChildProxyVsManager: ratio(cap('http-child', 'manager + proxy'), cap('http-child', 'manager')),
      stdioManagerVsBare: ratio(cap('stdio', 'manager'), cap('stdio', 'bare client')),
    },
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const durationMs = Number(process.argv[2] ?? 3000);
  const r = await benchMacro({ durationMs, log: (l) => console.log(l) });
  console.table(
    r.rows.map((x) => ({
      transport: x.transport,
      config: x.name,
      'calls/s': Math.round(x.callsPerSec),
      'rate/s': x.rateCallsPerSec,
      p50: x.p50Ms.toFixed(2),
      p99: x.p99Ms.toFixed(2),
      'p99.9': x.p999Ms.toFixed(2),
      errors: x.errors,
    })),
  );
  console.log(r.ratios);
}
