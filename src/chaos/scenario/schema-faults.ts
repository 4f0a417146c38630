/**
 * The `faults:` section: a timeline of faults relative to the start of load. Each fault has exactly one
 * action: a Toxiproxy `toxic`, `down: true` (the proxy stops listening), a `process` action, an
 * MCP-aware `mcp` fault (schema-mcp-fault.ts) or a rolling `deploy` (schema-deploy.ts). Which keys
 * combine is checked by `checkFaultShape`, so all problems are reported together.
 *
 * Toxic attributes use Toxiproxy's units (numbers); the time-valued ones also accept a duration string,
 * converted to the toxic's unit (ms, or µs for `slicer.delay`).
 */
import { z } from 'zod';
import { DurationSchema, NAME_PATTERN, TargetSchema } from './scalars.js';
import { DeploySchema } from './schema-deploy.js';
import { McpFaultSchema } from './schema-mcp-fault.js';

const nonNegInt = () => z.number().int().min(0);
/** A time-valued toxic attribute: a number in the toxic's unit, or a duration string. */
const timeAttr = (unit: string) =>
  z
    .union([nonNegInt(), DurationSchema], {
      error: `expected a non-negative integer (${unit}) or a duration such as 250ms`,
    })
    .describe(`A number of ${unit}, or a duration.`);

const toxicBase = {
  stream: z
    .enum(['upstream', 'downstream'])
    .optional()
    .describe('downstream (server to client, default) or upstream (client to server).'),
  toxicity: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Probability the toxic applies to a connection (default 1).'),
};

const attrs = <T extends z.core.$ZodLooseShape>(shape: T, what: string) =>
  z.strictObject(shape).describe(`Attributes of the ${what} toxic.`);

export const ToxicSchema = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({
        type: z.literal('latency'),
        ...toxicBase,
        attributes: attrs(
          { latency: timeAttr('ms'), jitter: timeAttr('ms').optional() },
          'latency (adds latency ± jitter ms to data)',
        ),
      }),
      z.strictObject({
        type: z.literal('bandwidth'),
        ...toxicBase,
        attributes: attrs(
          {
            rate: z
              .number()
              .int()
              .min(1, {
                error:
                  'bandwidth rate must be at least 1 KB/s (0 stalls the stream forever on a real Toxiproxy)',
              })
              .describe('KB/s (≥ 1).'),
          },
          'bandwidth (limits to rate KB/s)',
        ),
      }),
      z.strictObject({
        type: z.literal('slow_close'),
        ...toxicBase,
        attributes: attrs({ delay: timeAttr('ms') }, 'slow_close (delays the close by delay ms)'),
      }),
      z.strictObject({
        type: z.literal('timeout'),
        ...toxicBase,
        attributes: attrs(
          { timeout: timeAttr('ms').optional() },
          'timeout (stops data, closes after timeout ms; 0 = never)',
        ).optional(),
      }),
      z.strictObject({
        type: z.literal('reset_peer'),
        ...toxicBase,
        attributes: attrs(
          { timeout: timeAttr('ms').optional() },
          'reset_peer (TCP RST after timeout ms)',
        ).optional(),
      }),
      z.strictObject({
        type: z.literal('slicer'),
        ...toxicBase,
        attributes: attrs(
          {
            average_size: z.number().int().min(1).describe('Average packet size in bytes.'),
            size_variation: nonNegInt().optional().describe('Variation of the size in bytes.'),
            delay: timeAttr('µs').optional(),
          },
          'slicer (slices data into small packets, delay in µs)',
        ).refine((a) => (a.size_variation ?? 0) <= a.average_size, {
          error: 'slicer size_variation must not exceed average_size (a real Toxiproxy panics)',
          path: ['size_variation'],
        }),
      }),
      z.strictObject({
        type: z.literal('limit_data'),
        ...toxicBase,
        attributes: attrs(
          { bytes: nonNegInt().describe('Bytes before the connection closes.') },
          'limit_data',
        ),
      }),
      z.strictObject({
        type: z.literal('noop'),
        ...toxicBase,
        attributes: attrs({}, 'noop').optional(),
      }),
    ],
    { error: (iss) => toxicTypeProblem(iss.input) },
  )
  .meta({ id: 'Toxic', description: 'A Toxiproxy toxic on the proxy of every targeted endpoint.' });

export const TOXIC_TYPES = [
  'latency',
  'bandwidth',
  'slow_close',
  'timeout',
  'reset_peer',
  'slicer',
  'limit_data',
  'noop',
] as const;
export type ToxicType = (typeof TOXIC_TYPES)[number];

/** Time-valued attributes per toxic type, with the factor from ms to the toxic's unit. */
export const TOXIC_TIME_ATTRIBUTES: Record<ToxicType, Record<string, number>> = {
  latency: { latency: 1, jitter: 1 },
  bandwidth: {},
  slow_close: { delay: 1 },
  timeout: { timeout: 1 },
  reset_peer: { timeout: 1 },
  slicer: { delay: 1000 },
  limit_data: {},
  noop: {},
};

/** Toxiproxy's value for an attribute left out (filled in by the loader, so plans are explicit). */
export const TOXIC_DEFAULT_ATTRIBUTES: Record<ToxicType, Record<string, number>> = {
  latency: { jitter: 0 },
  bandwidth: {},
  slow_close: {},
  timeout: { timeout: 0 },
  reset_peer: { timeout: 0 },
  slicer: { size_variation: 0, delay: 0 },
  limit_data: {},
  noop: {},
};

function toxicTypeProblem(input: unknown): string | undefined {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return undefined;
  const type = (input as Record<string, unknown>).type;
  if (type === undefined) return `toxic needs a type (${TOXIC_TYPES.join(', ')})`;
  return `unknown toxic type ${JSON.stringify(type)} (expected ${TOXIC_TYPES.join(', ')})`;
}

export const FaultSchema = z
  .strictObject({
    name: z
      .string()
      .regex(NAME_PATTERN, 'fault names use letters, digits, ".", "_" and "-"')
      .max(64)
      .optional()
      .describe('Name invariants refer to (default fault-<index>). Unique.'),
    at: DurationSchema.describe('When it starts, from the start of load. Must be before duration.'),
    for: DurationSchema.optional().describe(
      'How long it lasts (> 0); omitted = until the end of the run. Ends past duration are clamped.',
    ),
    target: TargetSchema,
    toxic: ToxicSchema.optional(),
    down: z
      .literal(true, { error: 'down must be true (omit it for no down fault)' })
      .optional()
      .describe('The proxy stops listening (Toxiproxy enabled=false).'),
    process: z
      .enum(['kill', 'restart', 'pause'])
      .optional()
      .describe(
        'kill: SIGKILL, started again after `for` (omitted: stays down); restart: graceful stop, started again after `for` (omitted: at once); pause: SIGSTOP, SIGCONT after `for` (omitted: at the end).',
      ),
    mcp: McpFaultSchema.optional(),
    deploy: DeploySchema.optional(),
  })
  .meta({ id: 'Fault', description: 'One fault: exactly one of toxic, down, process, mcp or deploy.' });

export type FaultInput = z.infer<typeof FaultSchema>;
export type ToxicInput = z.infer<typeof ToxicSchema>;
