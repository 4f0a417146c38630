/** The gateway: the manager as one MCP endpoint (HTTP, both eras; stdio). Contract: docs/gateway.md. */
export { type Collision, FleetCatalog } from './fleet-catalog.js';
export {
  type GatewayCore,
  type GatewayHandle,
  type GatewayOptions,
  startGateway,
  startGatewayCore,
} from './gateway.js';
export {
  createGatewaySectionSchema,
  GATEWAY_DEFAULTS,
  type GatewayConfig,
  type GatewayConfigFile,
  type GatewaySection,
  loadGatewayConfig,
  parseSize,
  resolveGatewayConfig,
} from './gateway-config.js';
export { GATEWAY_FAILURE, toClientError } from './gateway-errors.js';
export { type GatewayLog, silentLog } from './gateway-log.js';
export { buildNameIndex, clientName, clientUri, parseClientName, parseClientUri } from './name-map.js';
export { RateLimiter } from './rate-limiter.js';
export { checkRequest, hostnameOf, originAllowed, TokenCheck } from './request-guards.js';
export { type StdioGatewayHandle, type StdioGatewayOptions, startStdioGateway } from './stdio-front.js';
