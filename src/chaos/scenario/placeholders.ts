/**
 * `{port}` and `{replica}` placeholders in a server's command, env and url. The planner leaves them in;
 * the runner fills them once it has picked a free loopback port per replica.
 */

export interface PlaceholderValues {
  /** The replica's port; required when the template contains `{port}`. */
  port?: number;
  /** The replica index (0-based). */
  replica: number;
}

/** Whether a template uses `{port}`. */
export function needsPort(template: string): boolean {
  return template.includes('{port}');
}

/**
 * Replaces every `{port}` and `{replica}`; other braces are left alone.
 * Throws RangeError when `{port}` appears but no port was given.
 */
export function fillPlaceholders(template: string, values: PlaceholderValues): string {
  if (needsPort(template) && values.port === undefined) {
    throw new RangeError(`"${template}" uses {port} but no port was given`);
  }
  return template.replaceAll('{port}', String(values.port)).replaceAll('{replica}', String(values.replica));
}

/** A spawned replica's concrete command, env and url. */
export interface FilledCommand {
  command: string[];
  env: Record<string, string>;
  url?: string;
}

/** Fills every placeholder of a command endpoint's command, env and url. */
export function fillCommand(
  spec: { command: string[]; env: Record<string, string>; url?: string },
  values: PlaceholderValues,
): FilledCommand {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.env)) env[k] = fillPlaceholders(v, values);
  const out: FilledCommand = { command: spec.command.map((a) => fillPlaceholders(a, values)), env };
  if (spec.url !== undefined) out.url = fillPlaceholders(spec.url, values);
  return out;
}
