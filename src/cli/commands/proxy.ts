/**
 * `mcp-chaos proxy`: runs the embedded Toxiproxy-compatible server until SIGINT/SIGTERM.
 * Prints one ready line on stdout (`toxiproxy listening on http://HOST:PORT`); logs are pino JSON (pretty
 * when stdout is a terminal).
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { errorMessage, isChaosError } from '../../core/errors.js';
import {
  type ProxyLogger,
  startToxiproxy,
  TOXIPROXY_READY_PREFIX,
  type ToxiproxyServer,
} from '../../proxy/index.js';
import { isLoopback, parseOrUsage } from '../cli-options.js';
import { EXIT } from '../exit-codes.js';

const USAGE = `usage: mcp-chaos proxy [options]

  --host ADDR         API address (default 127.0.0.1)
  --port N            API port (default 8474; 0 = any free port)
  --config FILE       Toxiproxy JSON config: [{name, listen, upstream, enabled}] (errors are only logged)
  --seed N            seed of toxicity rolls, jitter and slice sizes (default random, logged)
  --metrics           serve Prometheus metrics on /metrics
  --allow-remote      allow a non-loopback --host (the API has no authentication)
  -h, --help          this help
`;

/** Parsed `proxy` flags. */
export interface ProxyArgs {
  host: string;
  port: number;
  config?: string;
  seed?: number;
  metrics: boolean;
}

/** Parses flags; throws RangeError with a clear message; 'help' for --help. */
export function parseProxyArgs(args: string[]): ProxyArgs | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      config: { type: 'string' },
      seed: { type: 'string' },
      metrics: { type: 'boolean' },
      'allow-remote': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new RangeError(`unexpected argument "${positionals[0]}"`);
  const host = values.host ?? '127.0.0.1';
  if (host === '') throw new RangeError('--host must not be empty');
  if (!isLoopback(host) && !values['allow-remote']) {
    throw new RangeError(
      `--host ${host} is not a loopback address; the API has no authentication, so pass --allow-remote to expose it`,
    );
  }
  const port = integer('--port', values.port ?? '8474');
  if (port < 0 || port > 65535) throw new RangeError(`--port must be in [0, 65535], got "${values.port}"`);
  const parsed: ProxyArgs = { host, port, metrics: values.metrics ?? false };
  if (values.config !== undefined) parsed.config = values.config;
  if (values.seed !== undefined) parsed.seed = integer('--seed', values.seed);
  return parsed;
}

export async function run(args: string[]): Promise<number> {
  const got = parseOrUsage('proxy', USAGE, () => parseProxyArgs(args));
  if ('exit' in got) return got.exit;
  const parsed = got.value;
  const { logger } = await makeLogger();
  let server: ToxiproxyServer;
  try {
    server = await startToxiproxy({ ...parsed, logger });
  } catch (e) {
    const code = isChaosError(e) ? e.details.code : undefined;
    const why = code === 'EADDRINUSE' ? `port ${parsed.port} is already in use` : errorMessage(e);
    process.stderr.write(`mcp-chaos proxy: cannot start: ${why}\n`);
    return EXIT.INFRASTRUCTURE;
  }
  process.stdout.write(`${TOXIPROXY_READY_PREFIX}${server.url}\n`);
  await waitForSignal();
  logger.info({}, 'shutting down');
  await server.close();
  return EXIT.OK;
}

function integer(flag: string, v: string): number {
  const n = Number(v);
  if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) {
    throw new RangeError(`${flag} must be an integer, got "${v}"`);
  }
  return n;
}

/** pino, pretty on a terminal (wrapped: a pino logger must not be the value of an async function). */
async function makeLogger(): Promise<{ logger: ProxyLogger }> {
  if (process.stdout.isTTY) {
    try {
      const { default: pretty } = await import('pino-pretty');
      return { logger: pino({ name: 'toxiproxy' }, pretty({ colorize: true })) };
    } catch {
      // pino-pretty is a dev dependency: fall back to JSON when it is not installed
    }
  }
  return { logger: pino({ name: 'toxiproxy' }) };
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
