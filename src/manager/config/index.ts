export { managerConfigSchema } from './config-schema.js';
export {
  type ConfigFormat,
  type ConfigProblem,
  formatPath,
  type LoadedManagerConfig,
  loadManagerConfig,
  parseManagerConfig,
} from './load-manager-config.js';
