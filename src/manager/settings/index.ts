/**
 * The resilience settings as one concept: the written form (config file and scenario dialects), the value
 * rules, the check of resolved settings, and resolving/merging layers over the defaults.
 */

export { durationField } from './duration-field.js';
export {
  assertValidSettings,
  mergeLayers,
  resolveSettings,
  validateSettings,
} from './resolve-settings.js';
export { breakerPolicyProblems, type FieldProblem } from './settings-rules.js';
export {
  createSettingsInputSchema,
  impliedPolicy,
  type SettingsDialect,
  type SettingsInput,
  settingsInputSchema,
} from './settings-schema.js';
