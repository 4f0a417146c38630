export { type BackoffSettings, backoffDelay, DEFAULT_RECONNECT_BACKOFF } from './backoff.js';
export {
  cancelledError,
  classifyError,
  errorCodes,
  FAILURE_CODES,
  type FailureDetails,
  failureError,
  httpStatusOf,
  toFailure,
} from './classify-error.js';
export { createConnection } from './create-connection.js';
export type {
  CallToolOptions,
  ConnectionDetails,
  ConnectionEndpoint,
  ConnectionEvent,
  ConnectionOptions,
  ConnectionState,
  EndpointConnection,
  ForwardOptions,
  RequestTimeoutOptions,
} from './endpoint-connection.js';
export { checkLegacyCapabilities, LEGACY_CLIENT_CAPABILITIES } from './legacy-capabilities.js';
export { CONNECTION_DEFAULTS } from './options.js';
export { type RpcErrorAnswer, rpcErrorOf } from './rpc-error.js';
export { RELAYED_CAPABILITIES } from './server-request-relay.js';
export type { ServerDetails } from './session-rpc.js';
