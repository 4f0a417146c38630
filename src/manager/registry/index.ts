export { buildEndpoint, endpointSettingsOf, type ServerContext } from './build-endpoint.js';
export {
  type BuildDeps,
  type BuiltServers,
  buildServer,
  buildServers,
  type Fleet,
  planServer,
  type ServerParts,
  type ServerPlan,
  serverParts,
} from './build-servers.js';
export { defaultClassifier, defaultConnectionFactory } from './default-connection.js';
export { EndpointEntry } from './endpoint-entry.js';
export { type EndpointSpec, endpointSpec, endpointSpecs } from './endpoint-spec.js';
export { fetchTools } from './fetch-tools.js';
export { FleetGate, type FleetState, MIN_RAMP } from './fleet-gate.js';
export { type ForwardRequestOptions, forwardRequest } from './forward-request.js';
export type {
  ConnectionFactory,
  ConnectionFactoryOptions,
  ConnectionNotice,
  ErrorClassifier,
  ManagedConnection,
  ToolInfo,
} from './managed-connection.js';
export { type EndpointInfo, ManagerRegistry, type ServerInfo } from './manager-registry.js';
export { ServerEntry } from './server-entry.js';
export { withToolHint } from './tool-hints.js';
