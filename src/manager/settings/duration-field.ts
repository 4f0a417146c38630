/**
 * Zod fields for the config file's scalars: durations (`250ms`, `2s`, or a number of milliseconds) and
 * small helpers that accept a duration under either its plain name (`openFor: 2s`) or its `Ms` name
 * (`openForMs: 2000`).
 */
import { z } from 'zod';
import { parseDuration } from '../../core/duration.js';

/** `250ms`, `1.5s`, `1m`, `0`, or a non-negative number of milliseconds → milliseconds. */
export const durationField = z.union([z.number(), z.string()]).transform((value, ctx): number => {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      ctx.addIssue({ code: 'custom', message: `duration ${value} must be a non-negative number of ms` });
      return z.NEVER;
    }
    return value;
  }
  try {
    return parseDuration(value);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

/** Shape entries `{name?: duration, nameMs?: duration}` for spreading into a z.strictObject shape. */
export function durationKeys<const K extends string>(
  ...names: K[]
): Record<K | `${K}Ms`, z.ZodOptional<typeof durationField>> {
  const shape: Record<string, z.ZodOptional<typeof durationField>> = {};
  for (const n of names) {
    shape[n] = durationField.optional();
    shape[`${n}Ms`] = durationField.optional();
  }
  return shape as Record<K | `${K}Ms`, z.ZodOptional<typeof durationField>>;
}

/**
 * Reads a duration given as `name` or `nameMs`; reports an issue (at the `Ms` key) when both are set.
 * Returns undefined when neither is.
 */
export function pickDuration(
  obj: Record<string, unknown>,
  name: string,
  ctx: z.RefinementCtx,
): number | undefined {
  const plain = obj[name] as number | undefined;
  const ms = obj[`${name}Ms`] as number | undefined;
  if (plain !== undefined && ms !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: [`${name}Ms`],
      message: `give either ${name} or ${name}Ms, not both`,
    });
  }
  return plain ?? ms;
}

/** A positive integer count. */
export const countField = z.number().int().min(0);

/** A ratio in [0, 1]. */
export const ratioField = z.number().min(0).max(1);
