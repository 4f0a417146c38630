/**
 * `mcp-chaos mock`: runs one mock MCP server until SIGINT/SIGTERM (or, over stdio, until stdin ends).
 * HTTP prints one ready line on stdout; stdio prints nothing on stdout (stdout is the protocol).
 * A crash (`--crash-after N`) exits the process with code 1.
 */
import { parseDuration } from '../../core/duration.js';
import { errorMessage } from '../../core/errors.js';
import {
  MOCK_READY_PREFIX,
  type MockServerSpec,
  resolveMockServerSpec,
  startMockServer,
  startStdioMockServer,
} from '../../mock/index.js';
import { parseOrUsage } from '../cli-options.js';
import { EXIT } from '../exit-codes.js';

const USAGE = `usage: mcp-chaos mock [options]

  --transport http|stdio      transport (default http)
  --protocol legacy|modern|dual   MCP era: 2025 (default), 2026-07-28 only, or both
  --host ADDR                 bind address (default 127.0.0.1)
  --port N                    port (default 0 = any free port)
  --path /mcp                 endpoint path (default /mcp)
  --session stateful|stateless
  --response json|sse         POST answers as JSON bodies or SSE streams (default json, as in scenarios)
  --latency 2ms               fixed latency before each tool call
  --latency-p50 5ms --latency-p99 50ms   log-normal latency fitted to p50/p99
  --error-rate X              share of tool calls answered with isError (0..1)
  --hang                      accept calls and pings, never answer
  --crash-after N             serve N tool calls, then exit on the next one
  --no-ping                   never answer ping
  --seed N                    seed of latency/error draws
  --name NAME                 server name (default mock)
  --max-sessions N            stateful sessions kept (default 1000)
  --execution-log FILE        append every executed tool call to FILE (JSON lines)
`;

const VALUE_FLAGS = new Set([
  '--transport',
  '--protocol',
  '--host',
  '--port',
  '--path',
  '--session',
  '--response',
  '--latency',
  '--latency-p50',
  '--latency-p99',
  '--error-rate',
  '--crash-after',
  '--seed',
  '--name',
  '--max-sessions',
]);

/** Parses `mock` flags into a validated spec. Throws RangeError naming the bad flag; `help` for --help. */
export function parseMockArgs(args: string[]): MockServerSpec | 'help' {
  const spec: MockServerSpec = {};
  let p50: number | undefined;
  let p99: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const raw = args[i] as string;
    if (raw === '--help' || raw === '-h') return 'help';
    const eq = raw.indexOf('=');
    const flag = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    let value: string | undefined;
    if (VALUE_FLAGS.has(flag)) {
      value = eq > 0 && raw.startsWith('--') ? raw.slice(eq + 1) : args[++i];
      if (value === undefined) throw new RangeError(`${flag} needs a value`);
    } else if (eq > 0 && raw.startsWith('--')) {
      throw new RangeError(`${flag} takes no value, got "${raw}"`);
    }
    const v = value as string;
    switch (flag) {
      case '--transport':
        spec.transport = v as MockServerSpec['transport'];
        break;
      case '--host':
        spec.host = v;
        break;
      case '--port':
        spec.port = int(flag, v);
        break;
      case '--path':
        spec.path = v;
        break;
      case '--session':
        spec.session = v as MockServerSpec['session'];
        break;
      case '--protocol':
        spec.protocol = v as MockServerSpec['protocol'];
        break;
      case '--response':
        spec.response = v as MockServerSpec['response'];
        break;
      case '--latency':
        spec.latency = { fixedMs: duration(flag, v) };
        break;
      case '--latency-p50':
        p50 = duration(flag, v);
        break;
      case '--latency-p99':
        p99 = duration(flag, v);
        break;
      case '--error-rate':
        spec.errorRate = num(flag, v);
        break;
      case '--hang':
        spec.hang = true;
        break;
      case '--crash-after':
        spec.crashAfterCalls = int(flag, v);
        break;
      case '--no-ping':
        spec.answerPing = false;
        break;
      case '--seed':
        spec.seed = int(flag, v);
        break;
      case '--name':
        spec.name = v;
        break;
      case '--max-sessions':
        spec.maxSessions = int(flag, v);
        break;
      default:
        throw new RangeError(`unknown option "${raw}"`);
    }
  }
  if (p50 !== undefined || p99 !== undefined) {
    if (spec.latency) throw new RangeError('use either --latency or --latency-p50/--latency-p99, not both');
    if (p50 === undefined || p99 === undefined) {
      throw new RangeError('--latency-p50 and --latency-p99 go together');
    }
    spec.latency = { p50Ms: p50, p99Ms: p99 };
  }
  resolveMockServerSpec(spec);
  return spec;
}

/** Takes `--execution-log FILE` (a run option, not part of the spec) out of `args`. */
function takeExecutionLog(args: string[]): { file?: string; rest: string[] } {
  const rest: string[] = [];
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--execution-log')
      file = args[++i] ?? ''; // a missing value is reported below
    else if (a.startsWith('--execution-log=')) file = a.slice('--execution-log='.length);
    else rest.push(a);
  }
  return file === undefined ? { rest } : { file, rest };
}

export async function run(argv: string[]): Promise<number> {
  const { file: executionLogFile, rest: args } = takeExecutionLog(argv);
  const parsed = parseOrUsage('mock', USAGE, () => {
    if (executionLogFile === '') throw new RangeError('--execution-log needs a file');
    return parseMockArgs(args);
  });
  if ('exit' in parsed) return parsed.exit;
  // the same default as a scenario's mocks (json); the library's own default stays sse
  const spec = { ...parsed.value, response: parsed.value.response ?? 'json' };
  const onCrash = () => {
    process.stderr.write(`mcp-chaos mock: crashing after ${spec.crashAfterCalls} calls (--crash-after)\n`);
    process.exit(1);
  };
  const logOption = executionLogFile === undefined ? {} : { executionLogFile };
  if (spec.transport === 'stdio') {
    const handle = await startStdioMockServer(spec, { onCrash, ...logOption });
    const ended = new Promise<void>((resolve) => {
      process.stdin.once('end', resolve);
      process.stdin.once('close', resolve);
    });
    await Promise.race([waitForSignal(), ended, handle.closed]);
    await handle.close();
    process.stdin.destroy();
    return EXIT.OK;
  }
  let handle: Awaited<ReturnType<typeof startMockServer>>;
  try {
    handle = await startMockServer(spec, { onCrash, ...logOption });
  } catch (e) {
    process.stderr.write(`mcp-chaos mock: cannot listen: ${errorMessage(e)}\n`);
    return EXIT.INFRASTRUCTURE;
  }
  process.stdout.write(`${MOCK_READY_PREFIX}${handle.url}\n`);
  await waitForSignal();
  await handle.close();
  return EXIT.OK;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

function duration(flag: string, v: string): number {
  try {
    return parseDuration(v);
  } catch (e) {
    throw new RangeError(`${flag}: ${errorMessage(e)}`);
  }
}

function num(flag: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new RangeError(`${flag} must be a number, got "${v}"`);
  return n;
}

function int(flag: string, v: string): number {
  const n = num(flag, v);
  if (!Number.isInteger(n)) throw new RangeError(`${flag} must be an integer, got "${v}"`);
  return n;
}
