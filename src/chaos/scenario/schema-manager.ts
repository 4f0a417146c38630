/**
 * The `manager:` section (and per-server `servers.<name>.manager:` overrides): the manager's own settings
 * schema (src/manager/config/settings-schema.ts) in the scenario dialect — durations as the scenario writes
 * them (`2s`, `0`), no `Ms` aliases. Parses to a `DeepPartial<ResilienceSettings>` layer; every field is
 * optional and the manager fills its own defaults (listed in each description). The breaker's policy rule
 * runs on the raw YAML in check-shape.ts, so it joins the other findings.
 */
import type { z } from 'zod';
import { createSettingsInputSchema } from '../../manager/index.js';
import { DurationSchema, durationMs } from './scalars.js';

export const ManagerSchema = createSettingsInputSchema({
  duration: DurationSchema.transform(durationMs),
  msAliases: false,
  policyRules: false,
  meta: {
    id: 'Manager',
    description: 'Resilience settings of the manager under test; every field optional.',
  },
});

export type ManagerInput = z.input<typeof ManagerSchema>;
