/**
 * Embedded Toxiproxy-2.12-compatible server: the HTTP API (same routes, statuses, texts and JSON) and the TCP
 * proxies with their toxics. Knows nothing of MCP; depends only on node:net, node:http, core and prom-client.
 */
export { TOXIPROXY_VERSION } from './api/routes.js';
export type { ProxyConfigEntry, ToxicConfigEntry } from './config.js';
export { type ProxyLogger, silentLogger } from './logger.js';
export { ToxiproxyApiError } from './model/api-error.js';
export { startToxiproxy, type ToxiproxyOptions, type ToxiproxyServer } from './start-toxiproxy.js';
export { TOXIC_TYPES, type ToxicType } from './toxics/index.js';

/** The CLI's ready line starts with this, followed by the API URL. */
export const TOXIPROXY_READY_PREFIX = 'toxiproxy listening on ';
