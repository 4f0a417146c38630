/**
 * A dialect of the settings' written form: how one place (the config file, a scenario) writes durations and
 * whether `Ms` aliases exist, with the duration helpers every part of the schema uses.
 */
import type { z } from 'zod';

/** How one place writes settings. */
export interface SettingsDialect {
  /** One duration as written there; parses to milliseconds. */
  readonly duration: z.ZodType<number, unknown>;
  /** `openForMs: 2000` accepted beside `openFor: 2s` (the config file). */
  readonly msAliases: boolean;
  /**
   * Attach the breaker's cross-field policy rules to the schema. The scenario validator runs the same
   * rules ({@link breakerPolicyProblems}) on the raw YAML instead, so they join even type-failed findings.
   */
  readonly policyRules: boolean;
  /** JSON Schema metadata of the whole section (the scenario's `Manager` definition). */
  readonly meta?: { id: string; description: string };
}

export type Shape = Record<string, z.ZodType>;

/** The duration helpers of one dialect. */
export function durations(dialect: SettingsDialect) {
  const { msAliases } = dialect;
  /** `{name: duration}` (+ `nameMs` in an alias dialect); required when `required`. */
  const dur = (name: string, description: string, required = false): Shape => {
    const plain = required && !msAliases ? dialect.duration : dialect.duration.optional();
    const shape: Shape = { [name]: plain.describe(description) };
    if (msAliases) shape[`${name}Ms`] = dialect.duration.optional();
    return shape;
  };
  /** The duration given as `name` or `nameMs` (both: an issue; neither but required: an issue). */
  const pick = (o: Record<string, unknown>, name: string, ctx: z.RefinementCtx, required = false) => {
    const plain = o[name] as number | undefined;
    const ms = msAliases ? (o[`${name}Ms`] as number | undefined) : undefined;
    if (plain !== undefined && ms !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [`${name}Ms`],
        message: `give either ${name} or ${name}Ms, not both`,
      });
    }
    const value = plain ?? ms;
    if (value === undefined && required && msAliases) {
      ctx.addIssue({ code: 'custom', path: [name], message: `${name} (or ${name}Ms) is required` });
    }
    return value;
  };
  return { dur, pick };
}
