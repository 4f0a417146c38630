export { managerConfigSchema } from './config-schema.js';
export {
  type ConfigFormat,
  type ConfigProblem,
  type ConfigSections,
  formatPath,
  type LoadedConfigWithSections,
  type LoadedManagerConfig,
  loadConfigWithSections,
  loadManagerConfig,
  parseConfigWithSections,
  parseManagerConfig,
} from './load-manager-config.js';
