import { readFile } from 'node:fs/promises';
import { errorMessage } from '../core/index.js';
import { decodePopulate } from './api/inputs.js';
import { populate } from './api/populate.js';
import type { ProxyLogger } from './logger.js';
import type { ProxyCollection } from './model/proxy-collection.js';

/** A toxic inside a config entry (our extension; the same fields as POST /proxies/{p}/toxics). */
export interface ToxicConfigEntry {
  /** Default `<type>_<stream>`. */
  name?: string;
  type: string;
  /** `upstream` or `downstream` (default), case-insensitive. */
  stream?: string;
  /** Probability in [0, 1] (default 1). */
  toxicity?: number;
  /** Integer attributes of the type; missing ones are 0. */
  attributes?: Record<string, number>;
}

/** One proxy of a Toxiproxy config file (`[{name, listen, upstream, enabled}]`). */
export interface ProxyConfigEntry {
  name: string;
  /** `host:port` to listen on; `localhost` binds 127.0.0.1, port 0 an ephemeral port. */
  listen: string;
  /** `host:port` dialled for each client. */
  upstream: string;
  /** Default true. */
  enabled?: boolean;
  /** Extension: toxics to set up on the proxy. */
  toxics?: ToxicConfigEntry[];
}

/**
 * Applies a config (entries, or a path to a JSON file) with populate's logic. Like the real server's
 * `-config`, problems are only logged: an unreadable file or bad entry leaves the server running.
 * Returns the number of proxies set up.
 */
export async function applyConfig(
  collection: ProxyCollection,
  config: readonly ProxyConfigEntry[] | string,
  logger: ProxyLogger,
): Promise<number> {
  let text: string;
  const source = typeof config === 'string' ? config : 'options';
  if (typeof config === 'string') {
    try {
      text = await readFile(config, 'utf8');
    } catch (e) {
      logger.error({ config: source, err: errorMessage(e) }, 'Error reading config file');
      return 0;
    }
  } else {
    text = JSON.stringify(config);
  }
  try {
    const result = await populate(collection, decodePopulate(text));
    if (result.error) {
      logger.error({ config: source, err: result.error.message }, 'Failed to populate proxies from file');
    } else {
      logger.info({ config: source, proxies: result.proxies.length }, 'Populated proxies from file');
    }
    return result.proxies.length;
  } catch (e) {
    logger.error({ config: source, err: errorMessage(e) }, 'Failed to populate proxies from file');
    return 0;
  }
}
