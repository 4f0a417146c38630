/**
 * `sut:` — the system under test. `manager` (default): the in-process McpManager, judged white-box from its
 * own events. `{gateway: …}`: any MCP gateway or proxy process between the load and the fleet, started
 * from `command` (argv, never a shell) with placeholders filled (sut-placeholders.ts), judged black-box.
 */
import { z } from 'zod';
import { DurationSchema } from './scalars.js';
import { CommandSchema, EnvSchema } from './schema-servers.js';

/** Eras the load's client may speak to a gateway (the manager's `protocol` modes). */
export const SUT_PROTOCOLS = ['auto', 'modern', 'legacy'] as const;

/** Longest `config` text (bytes). */
export const MAX_SUT_CONFIG_BYTES = 1024 * 1024;

export const GatewaySutSchema = z
  .strictObject({
    command: CommandSchema.describe(
      'argv of the gateway (never run through a shell); {port}, {config}, {token}, {upstreams:S}, {upstream:S[i]} are filled.',
    ),
    transport: z
      .enum(['http', 'stdio'])
      .optional()
      .describe(
        'http (default: the gateway serves MCP at `url`) or stdio (the load speaks MCP on its stdin/stdout).',
      ),
    url: z
      .string()
      .optional()
      .describe('Where the gateway serves MCP, e.g. http://127.0.0.1:{port}/mcp (http only).'),
    config: z
      .string()
      .max(MAX_SUT_CONFIG_BYTES)
      .optional()
      .describe('Text written to a temporary file whose path is {config}, placeholders filled.'),
    env: EnvSchema.optional().describe('Extra environment of the gateway, placeholders filled.'),
    cwd: z.string().optional().describe("Working directory (default: the scenario file's folder)."),
    ready: DurationSchema.optional().describe('How long the gateway gets to answer MCP (default 10s).'),
    toolName: z
      .string()
      .regex(/\{tool\}/, 'toolName must contain {tool}')
      .optional()
      .describe(
        'The name under which the gateway exposes a server\'s tool (default "{tool}"; {server} and {tool}).',
      ),
    protocol: z
      .enum(SUT_PROTOCOLS)
      .optional()
      .describe('The era the load speaks to the gateway (default auto).'),
  })
  .meta({ id: 'GatewaySut', description: 'A gateway process judged black-box.' });

export const SutSchema = z.union([z.literal('manager'), z.strictObject({ gateway: GatewaySutSchema })]).meta({
  id: 'Sut',
  description: 'The system under test: manager (default, white-box) or {gateway: …} (black-box).',
});

export type SutInput = z.infer<typeof SutSchema>;
