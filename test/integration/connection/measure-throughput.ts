/**
 * Ad-hoc throughput measurement (not a test; no asserts): echo calls/s through EndpointConnection vs a
 * bare SDK Client, sequential and 32 concurrent, against a stateful HTTP JSON mock (in-process) and a
 * stdio mock (child process). Run: `node --import tsx test/integration/connection/measure-throughput.ts`
 * Prints medians of 3 runs.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createConnection } from '../../../src/manager/connection/index.js';
import { type MockServerSpec, mockServerCommand, startMockServer } from '../../../src/mock/index.js';

type Call = (i: number) => Promise<unknown>;
interface Subject {
  call: Call;
  close(): Promise<void>;
}

const SEQUENTIAL = Number(process.env.SEQ ?? 1000);
const CONCURRENT_TOTAL = Number(process.env.CONC ?? 4000);
const CONCURRENCY = 32;

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

async function measure(name: string, make: () => Promise<Subject>) {
  const seq: number[] = [];
  const conc: number[] = [];
  for (let run = 0; run < 3; run++) {
    const s = await make();
    await rate(s.call, 200, 8); // warm-up
    seq.push(await rate(s.call, SEQUENTIAL, 1));
    conc.push(await rate(s.call, CONCURRENT_TOTAL, CONCURRENCY));
    await s.close();
  }
  console.log(
    `${name.padEnd(44)} sequential ${median(seq).toFixed(0).padStart(6)}/s   32-concurrent ${median(conc).toFixed(0).padStart(6)}/s`,
  );
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
  for (const spec of [
    { session: 'stateful', response: 'json' },
    { session: 'stateful', response: 'sse' },
  ] as MockServerSpec[]) {
    const h = await startMockServer(spec);
    const label = `HTTP ${spec.session} ${spec.response}`;
    await measure(`${label}, bare SDK Client`, () => bareHttp(h.url));
    await measure(`${label}, EndpointConnection (16 sockets)`, () =>
      connection({ id: 'bench', transport: 'http', url: h.url }),
    );
    await measure(`${label}, EndpointConnection (64 sockets)`, () =>
      connection({ id: 'bench', transport: 'http', url: h.url }, 64),
    );
    await h.close();
  }
  await measure('stdio, bare SDK Client', bareStdio);
  await measure('stdio, EndpointConnection', () =>
    connection({ id: 'bench', transport: 'stdio', command: mockServerCommand({ transport: 'stdio' }) }),
  );
}

await main();
