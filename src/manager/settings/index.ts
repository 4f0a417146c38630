/**
 * The resilience settings as one concept: the written form (config file and scenario dialects), the value
 * rules, the check of resolved settings, and resolving/merging layers over the defaults.
 */

export type { SettingsDialect } from './dialect.js';
export { durationField } from './duration-field.js';
export { createEndpointSettingsSchema } from './endpoint-settings-schema.js';
export {
  assertValidSettings,
  mergeLayers,
  resolveSettings,
  validateSettings,
} from './resolve-settings.js';
export { allowedConfigKeys } from './schema-keys.js';
export { codeFormOptions, codeFormSettings, type ManagerInput } from './settings-form.js';
export { breakerPolicyProblems, type FieldProblem } from './settings-rules.js';
export {
  createSettingsInputSchema,
  endpointSettingsInputSchema,
  impliedPolicy,
  type SettingsInput,
  settingsInputSchema,
} from './settings-schema.js';
