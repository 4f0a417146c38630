export { managerConfigSchema } from './config-schema.js';
export { durationField } from './duration-field.js';
export {
  type ConfigFormat,
  type ConfigProblem,
  formatPath,
  type LoadedManagerConfig,
  loadManagerConfig,
  parseManagerConfig,
} from './load-manager-config.js';
export { breakerPolicyProblems, type FieldProblem } from './settings-rules.js';
export {
  createSettingsInputSchema,
  impliedPolicy,
  type SettingsDialect,
  type SettingsInput,
  settingsInputSchema,
} from './settings-schema.js';
