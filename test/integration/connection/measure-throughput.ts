/**
 * Ad-hoc throughput measurement (not a test; no asserts): echo calls/s through EndpointConnection vs a
 * bare SDK Client, sequential and 32 concurrent, against a stateful HTTP JSON mock (in-process) and a
 * stdio mock (child process). Run:
 *   node --no-warnings --import tsx test/integration/connection/measure-throughput.ts
 * Prints medians of ROUNDS (default 3) rounds (subjects round-robin) and the MaxListenersExceededWarnings each one caused.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createConnection } from '../../../src/manager/connection/index.js';
import { mockServerCommand, startMockServer } from '../../../src/mock/index.js';

type Call = (i: number) => Promise<unknown>;
interface Subject {
  call: Call;
  close(): Promise<void>;
}

const SEQUENTIAL = Number(process.env.SEQ ?? 1000);
const CONCURRENT_TOTAL = Number(process.env.CONC ?? 4000);
const CONCURRENCY = 32;
const ROUNDS = Number(process.env.ROUNDS ?? 3);

async function rate(call: Call, total: number, concurrency: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await call(next++);
    }),
  );
  return (total / (performance.now() - t0)) * 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

interface Result {
  seq: number[];
  conc: number[];
  maxListenersWarnings: number;
}

let currentSubject: Result | undefined;
process.on('warning', (w) => {
  if (w.name === 'MaxListenersExceededWarning' && currentSubject) currentSubject.maxListenersWarnings++;
});

/** Runs every subject once per round (round-robin: no ordering bias), ROUNDS rounds (default 3). */
async function measureAll(subjects: Array<[string, () => Promise<Subject>]>) {
  const results = new Map<string, Result>(
    subjects.map(([n]) => [n, { seq: [], conc: [], maxListenersWarnings: 0 }]),
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, make] of subjects) {
      const r = results.get(name) as Result;
      currentSubject = r;
      const s = await make();
      await rate(s.call, 500, 8); // warm-up
      r.seq.push(await rate(s.call, SEQUENTIAL, 1));
      r.conc.push(await rate(s.call, CONCURRENT_TOTAL, CONCURRENCY));
      await s.close();
      await new Promise((resolve) => setImmediate(resolve)); // let pending warnings be counted
      currentSubject = undefined;
    }
  }
  for (const [name, r] of results) {
    const seq = median(r.seq).toFixed(0).padStart(6);
    const conc = median(r.conc).toFixed(0).padStart(6);
    const warn = r.maxListenersWarnings ? `   (${r.maxListenersWarnings} MaxListeners warnings)` : '';
    console.log(`${name.padEnd(40)} sequential ${seq}/s   32-concurrent ${conc}/s${warn}`);
  }
}

async function bareHttp(url: string): Promise<Subject> {
  const transport = new StreamableHTTPClientTransport(new URL(url));
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  return {
    call: (i) =>
      client.callTool({ name: 'echo', arguments: { message: `m${i}` } }, undefined, { timeout: 10_000 }),
    close: async () => {
      await transport.terminateSession().catch(() => {});
      await client.close();
    },
  };
}

async function bareStdio(): Promise<Subject> {
  const argv = mockServerCommand({ transport: 'stdio' });
  const transport = new StdioClientTransport({ command: argv[0] as string, args: argv.slice(1) });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  return {
    call: (i) =>
      client.callTool({ name: 'echo', arguments: { message: `m${i}` } }, undefined, { timeout: 10_000 }),
    close: () => client.close(),
  };
}

async function connection(
  endpoint: Parameters<typeof createConnection>[0],
  maxSockets = 16,
): Promise<Subject> {
  const c = createConnection(endpoint, { maxSockets });
  await c.connect();
  return {
    call: (i) => c.callTool('echo', { message: `m${i}` }, { timeoutMs: 10_000 }),
    close: () => c.close(),
  };
}

async function main() {
  const json = await startMockServer({ session: 'stateful', response: 'json' });
  const sse = await startMockServer({ session: 'stateful', response: 'sse' });
  const stdioCommand = mockServerCommand({ transport: 'stdio' });
  await measureAll([
    ['HTTP stateful JSON, bare SDK Client', () => bareHttp(json.url)],
    [
      'HTTP stateful JSON, EndpointConnection',
      () => connection({ id: 'b', transport: 'http', url: json.url }),
    ],
    [
      'HTTP stateful JSON, EndpointConn. 64 sockets',
      () => connection({ id: 'b', transport: 'http', url: json.url }, 64),
    ],
    ['HTTP stateful SSE, bare SDK Client', () => bareHttp(sse.url)],
    ['HTTP stateful SSE, EndpointConnection', () => connection({ id: 'b', transport: 'http', url: sse.url })],
    ['stdio, bare SDK Client', bareStdio],
    ['stdio, EndpointConnection', () => connection({ id: 'b', transport: 'stdio', command: stdioCommand })],
  ]);
  await json.close();
  await sse.close();
}

await main();
