/**
 * `mcp-chaos gateway`: the manager as one MCP endpoint (contract: docs/gateway.md). HTTP by default
 * (prints `gateway listening on URL` on stdout once ready), or `--stdio` for one client on stdin/stdout.
 * Logs are pino JSON on stderr. SIGTERM/SIGINT drain and exit 0; SIGHUP or a change of the config file
 * reloads it (an invalid one is logged, the old one stays in force).
 */
import { unwatchFile, watchFile } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { errorMessage, isChaosError } from '../../core/errors.js';
import {
  type GatewayConfigFile,
  type GatewayLog,
  loadGatewayConfig,
  startGateway,
  startStdioGateway,
} from '../../gateway/index.js';
import { isLoopback, parseOrUsage } from '../cli-options.js';
import { EXIT } from '../exit-codes.js';
import { readPackageVersion } from '../version.js';

const USAGE = `usage: mcp-chaos gateway --config FILE [options]

Serves a fleet of MCP servers as one MCP endpoint, through the resilient manager.

  --config FILE       manager config (settings, servers) with a gateway: section (YAML or JSON); required
  --host ADDR         HTTP address (default 127.0.0.1)
  --port N            HTTP port (default 8080; 0 = any free port)
  --stdio             serve one client on stdin/stdout instead of HTTP (logs on stderr)
  --allow-remote      allow a non-loopback --host (needs gateway.auth.tokens in the config)
  --connect-timeout D bound on each endpoint's first connect (spawn + handshake), fleet-wide default
                      below the file's own connectTimeout settings (default 30s)
  --log-level L       debug, info, warn or error (default info)
  -h, --help          this help

Endpoints (HTTP): /mcp (MCP, 2026-07-28 and 2025-11-25 clients), /healthz, /readyz, /metrics.
Signals: SIGTERM/SIGINT drain and exit 0; SIGHUP reloads the config (so does saving the file).
Exit codes: 0 stopped cleanly, 2 invalid flags or config (nothing started), 3 cannot bind or start.
`;

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export interface GatewayArgs {
  config: string;
  host: string;
  port: number;
  stdio: boolean;
  allowRemote: boolean;
  connectTimeoutMs?: number;
  logLevel: (typeof LEVELS)[number];
}

/** Parses flags; throws RangeError with a clear message; 'help' for --help. */
export function parseGatewayArgs(args: string[]): GatewayArgs | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      stdio: { type: 'boolean' },
      'allow-remote': { type: 'boolean' },
      'connect-timeout': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new RangeError(`unexpected argument "${positionals[0]}"`);
  if (values.config === undefined || values.config === '') throw new RangeError('--config FILE is required');
  const host = values.host ?? '127.0.0.1';
  if (host === '') throw new RangeError('--host must not be empty');
  if (!isLoopback(host) && !values['allow-remote'])
    throw new RangeError(
      `--host ${host} is not a loopback address: pass --allow-remote (and configure gateway.auth.tokens)`,
    );
  const portText = values.port ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new RangeError(`--port must be an integer in [0, 65535], got "${portText}"`);
  const level = values['log-level'] ?? 'info';
  if (!(LEVELS as readonly string[]).includes(level))
    throw new RangeError(`--log-level must be one of ${LEVELS.join(', ')}, got "${level}"`);
  const timeout = values['connect-timeout'];
  const m = timeout === undefined ? undefined : /^(\d+(?:\.\d+)?)(ms|s)$/.exec(timeout);
  if (timeout !== undefined && (!m || Number(m[1]) <= 0))
    throw new RangeError(`--connect-timeout must be a duration like 30s or 500ms, got "${timeout}"`);
  return {
    config: values.config,
    host,
    port,
    stdio: values.stdio ?? false,
    allowRemote: values['allow-remote'] ?? false,
    ...(m ? { connectTimeoutMs: Number(m[1]) * (m[2] === 's' ? 1000 : 1) } : {}),
    logLevel: level as GatewayArgs['logLevel'],
  };
}

/** Loads the config and checks it against the flags; a message when it cannot be used. */
function loadChecked(args: GatewayArgs): GatewayConfigFile {
  const loaded = loadGatewayConfig(args.config, process.env);
  // --connect-timeout: the fleet-wide first-connect limit, under what the file sets per server or endpoint
  const file =
    args.connectTimeoutMs === undefined
      ? loaded
      : {
          ...loaded,
          manager: {
            ...loaded.manager,
            settings: { connectTimeoutMs: args.connectTimeoutMs, ...loaded.manager.settings },
          },
        };
  if (!isLoopback(args.host) && file.gateway.tokens.length === 0)
    throw new RangeError(
      `--host ${args.host} is reachable from other machines: gateway.auth.tokens must list at least one token`,
    );
  return file;
}

export async function run(args: string[]): Promise<number> {
  const got = parseOrUsage('gateway', USAGE, () => parseGatewayArgs(args));
  if ('exit' in got) return got.exit;
  const a = got.value;
  let file: GatewayConfigFile;
  try {
    file = loadChecked(a);
  } catch (e) {
    process.stderr.write(`mcp-chaos gateway: ${errorMessage(e)}\n`);
    return EXIT.INVALID_INPUT;
  }
  const log: GatewayLog = pino({ name: 'gateway', level: a.logLevel }, pino.destination(2));
  const common = {
    manager: file.manager,
    gateway: file.gateway,
    log,
    version: readPackageVersion(),
  };
  let handle: Awaited<ReturnType<typeof startGateway>> | Awaited<ReturnType<typeof startStdioGateway>>;
  try {
    handle = a.stdio
      ? await startStdioGateway(common)
      : await startGateway({ ...common, host: a.host, port: a.port });
  } catch (e) {
    process.stderr.write(`mcp-chaos gateway: cannot start: ${errorMessage(e)}\n`);
    return isChaosError(e, 'INVALID_CONFIG') ? EXIT.INVALID_INPUT : EXIT.INFRASTRUCTURE;
  }
  if ('url' in handle) {
    process.stdout.write(`gateway listening on ${handle.url}\n`);
    log.info({ url: handle.url, servers: file.manager.servers.map((s) => s.name) }, 'listening');
  } else log.info({ servers: file.manager.servers.map((s) => s.name) }, 'serving on stdio');

  const h = handle;
  let reloading = Promise.resolve();
  const reload = (why: string) => {
    reloading = reloading.then(async () => {
      try {
        const result = await h.reload(loadChecked(a));
        log.info({ why, ...result }, 'config reloaded');
      } catch (e) {
        log.error({ why, problems: errorMessage(e) }, 'config not reloaded: the old one stays in force');
      }
    });
  };
  const onHup = () => reload('SIGHUP');
  process.on('SIGHUP', onHup);
  watchFile(a.config, { interval: 500 }, (cur, prev) => {
    if (cur.mtimeMs !== prev.mtimeMs) reload('file changed');
  });
  const signal = await new Promise<string>((resolve) => {
    const done = (s: string) => () => resolve(s);
    process.once('SIGINT', done('SIGINT'));
    process.once('SIGTERM', done('SIGTERM'));
    if ('done' in h)
      void h.done.then(() => resolve(h.unusable === undefined ? 'stdin closed' : 'stdin unusable'));
  });
  log.info({ signal }, 'draining');
  process.off('SIGHUP', onHup);
  unwatchFile(a.config);
  await reloading;
  await h.close();
  log.info({}, 'stopped');
  if ('unusable' in h && h.unusable !== undefined) {
    process.stderr.write(`mcp-chaos gateway: ${h.unusable}\n`);
    return EXIT.INVALID_INPUT;
  }
  return EXIT.OK;
}
