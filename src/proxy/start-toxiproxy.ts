import { ChaosError, type Clock, randomSeed, SeededRng, systemClock } from '../core/index.js';
import { ApiServer } from './api/api-server.js';
import { createRoutes } from './api/routes.js';
import { applyConfig, type ProxyConfigEntry } from './config.js';
import { type ProxyLogger, silentLogger } from './logger.js';
import { createProxyMetrics } from './metrics.js';
import { formatAddress } from './model/address.js';
import { ProxyCollection } from './model/proxy-collection.js';

/** Options of {@link startToxiproxy}. */
export interface ToxiproxyOptions {
  /** API host. Default `127.0.0.1` (the real server's default is `localhost`). */
  host?: string;
  /** API port; 0 picks an ephemeral port. Default 8474. */
  port?: number;
  /** Seed of every random choice (toxicity rolls, jitter, slice sizes). Default: a random seed. */
  seed?: number;
  /** Serve Prometheus metrics on `/metrics`. Default false. */
  metrics?: boolean;
  /** Proxies to set up before the API answers: entries or a path to a Toxiproxy JSON config file. */
  config?: readonly ProxyConfigEntry[] | string;
  /** A pino-like logger. Default: silent. */
  logger?: ProxyLogger;
  /** Time source. Default the system clock. */
  clock?: Clock;
  /** Largest API request body in bytes; larger ones get 413. Default 1 MiB. */
  maxBodyBytes?: number;
}

/** A running embedded Toxiproxy. */
export interface ToxiproxyServer {
  /** Base URL of the API, e.g. `http://127.0.0.1:8474`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The seed in use (printed so a run can be replayed). */
  readonly seed: number;
  /** Closes the API, every proxy listener and every connection. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Starts an embedded Toxiproxy-2.12-compatible server: the HTTP API on `host:port` and the TCP proxies it
 * manages. Resolves once the API listens (and `config` was applied). Rejects with ChaosError INFRASTRUCTURE
 * (details.code = the socket error code, e.g. EADDRINUSE) when the API cannot bind.
 */
export async function startToxiproxy(options: ToxiproxyOptions = {}): Promise<ToxiproxyServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8474;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be an integer in [0, 65535], got ${port}`);
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new RangeError(`maxBodyBytes must be a positive integer, got ${maxBodyBytes}`);
  }
  const seed = options.seed ?? randomSeed();
  const rng = new SeededRng(seed);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const collection = new ProxyCollection({ clock, rng: rng.fork('links'), logger });
  const metrics = options.metrics ? createProxyMetrics(() => collection.values()) : undefined;
  const api = new ApiServer({
    routes: createRoutes({ collection, metrics }),
    clock,
    rng: rng.fork('request-ids'),
    logger,
    maxBodyBytes,
  });
  if (options.config !== undefined) await applyConfig(collection, options.config, logger);
  let bound: { address: string; port: number };
  try {
    bound = await api.listen(host, port);
  } catch (e) {
    await collection.closeAll();
    await api.close();
    const code = (e as NodeJS.ErrnoException).code;
    throw new ChaosError(
      'INFRASTRUCTURE',
      `toxiproxy API cannot listen on ${formatAddress(host, port)}: ${code ?? e}`,
      {
        cause: e,
        details: { code, host, port },
      },
    );
  }
  const url = `http://${formatAddress(bound.address, bound.port)}`;
  logger.info({ url, seed, metrics: Boolean(metrics) }, 'toxiproxy API listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    host: bound.address,
    port: bound.port,
    seed,
    close() {
      closing ??= (async () => {
        await api.close();
        await collection.closeAll();
      })();
      return closing;
    },
  };
}
