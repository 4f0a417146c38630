/**
 * The scenario format as one zod schema: the single source of truth for validation and for the
 * generated JSON Schema (`schema/scenario.schema.json`). Cross-field and cross-reference rules that a
 * schema cannot express live in `check-shape.ts` and `check-references.ts`.
 */

import { z } from 'zod';
import { MAX_FAULTS, MAX_LOAD_STREAMS } from './limits.js';
import { DurationSchema, NAME_PATTERN, RateSchema, SERVER_NAME_PATTERN } from './scalars.js';
import { FaultSchema } from './schema-faults.js';
import { ManagerSchema } from './schema-manager.js';
import { ServerSchema } from './schema-servers.js';
import { SutSchema } from './schema-sut.js';
import { ThresholdSchema } from './threshold.js';

export const LoadSchema = z
  .strictObject({
    name: z
      .string()
      .regex(NAME_PATTERN, 'load stream names use letters, digits, ".", "_" and "-"')
      .optional()
      .describe('Label in reports (default <server>.<tool>, suffixed when repeated).'),
    server: z
      .string({ error: 'required: the server this stream calls' })
      .describe('A server name from servers.'),
    tool: z
      .string({ error: (iss) => (iss.input === undefined ? 'required: the tool to call' : undefined) })
      .min(1)
      .describe('Tool name.'),
    args: z.record(z.string(), z.unknown()).optional().describe('Tool arguments (default {}).'),
    rate: RateSchema,
    ramp: DurationSchema.optional().describe('Linear ramp from 0 to rate over this long (default 0).'),
    idempotent: z
      .boolean()
      .optional()
      .describe(
        "May be retried on another replica; omitted: the tool's idempotentHint annotation, else false.",
      ),
    timeout: DurationSchema.optional().describe('Per-call deadline (default manager.callTimeout).'),
    toolErrorsAreSuccess: z
      .boolean()
      .optional()
      .describe('Count isError results as successes for availability (default false).'),
    concurrency: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'Cap on this stream’s calls in flight; arrivals beyond it are dropped and counted (default: no cap).',
      ),
  })
  .meta({
    id: 'LoadStream',
    description: 'An open-model load stream: calls arrive at `rate` regardless of how fast they finish.',
  });

export const InvariantEntrySchema = z
  .union([z.string(), z.record(z.string(), z.record(z.string(), z.unknown()).nullable())], {
    error: 'expected an invariant name, or {name: {param: value}}',
  })
  .meta({
    id: 'Invariant',
    description: 'An invariant name, or a one-key map {name: {params}} (durations in params stay strings).',
  });

export const ScenarioSchema = z
  .strictObject({
    name: z
      .string({
        error: (iss) => (iss.input === undefined ? 'required: the scenario name' : 'expected a string'),
      })
      .regex(NAME_PATTERN, 'names use letters, digits, ".", "_" and "-" (they become file names)')
      .max(100)
      .describe('Scenario name, unique in a run.'),
    description: z.string().optional().describe('What the scenario shows.'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(0xffffffff)
      .optional()
      .describe('Seed of every random choice (default: random, printed by the run).'),
    duration: DurationSchema.describe('How long load runs (required, > 0).'),
    servers: z
      .record(z.string().regex(SERVER_NAME_PATTERN), ServerSchema, {
        error: (iss) => (iss.input === undefined ? 'required: at least one server' : undefined),
      })
      .describe('Logical servers by name.'),
    manager: ManagerSchema.optional(),
    sut: SutSchema.optional(),
    load: z
      .array(LoadSchema)
      .max(MAX_LOAD_STREAMS)
      .optional()
      .describe('Load streams, run side by side (default none).'),
    faults: z.array(FaultSchema).max(MAX_FAULTS).optional().describe('The fault timeline (default none).'),
    steady_state: z
      .array(ThresholdSchema)
      .optional()
      .describe('Threshold expressions checked before the first fault and after rollback (whole or over D).'),
    invariants: z.array(InvariantEntrySchema).optional().describe('Invariants checked over the history.'),
    thresholds: z.array(ThresholdSchema).optional().describe('Threshold expressions over the run.'),
  })
  .describe('An mcp-chaos scenario: servers, manager settings, load, a fault timeline and the checks.');

export type ScenarioInput = z.infer<typeof ScenarioSchema>;
export type LoadInput = z.infer<typeof LoadSchema>;
