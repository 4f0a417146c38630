export { type BuildDeps, type BuiltServers, buildServers } from './build-servers.js';
export { defaultClassifier, defaultConnectionFactory } from './default-connection.js';
export { EndpointEntry } from './endpoint-entry.js';
export { type EndpointSpec, endpointSpecs } from './endpoint-spec.js';
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
