/**
 * The `servers:` section: logical servers by name. Each is one of
 * - a mock (`mock:`), one in-process/child mock MCP server per replica;
 * - a spawned process (`command:` argv, optional `env`, `url` for HTTP servers, `ready`);
 * - an existing server (`url:` only): proxied, never started or killed.
 * Which fields combine is checked by `checkServerShape` (so every problem is reported together).
 */
import { z } from 'zod';
import { MOCK_PROTOCOLS } from '../../mock/index.js';
import { DurationSchema } from './scalars.js';
import { ManagerSchema } from './schema-manager.js';

/** Upper bound on replicas per server. */
export const MAX_REPLICAS = 64;

export const MockSchema = z
  .strictObject({
    transport: z.enum(['http', 'stdio']).optional().describe('http (default) | stdio.'),
    protocol: z
      .union([z.enum(MOCK_PROTOCOLS), z.array(z.enum(MOCK_PROTOCOLS)).min(1).max(MAX_REPLICAS)])
      .optional()
      .describe(
        'The MCP era the mock speaks: legacy (default: 2025-11-25; session applies) | modern (2026-07-28 only) | dual (2026-07-28, and 2025 clients served statelessly); or a list, one per replica in turn (a mixed-era fleet).',
      ),
    session: z.enum(['stateful', 'stateless']).optional().describe('stateful (default) | stateless.'),
    response: z
      .enum(['json', 'sse'])
      .optional()
      .describe('json (default) | sse: how HTTP responses are sent.'),
    latency: z
      .union([
        DurationSchema,
        z.strictObject({
          p50: DurationSchema.describe('Median latency.'),
          p99: DurationSchema.describe('99th percentile latency.'),
        }),
      ])
      .optional()
      .describe('Added latency per call: fixed, or {p50, p99} (default 0).'),
    errorRate: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Share of calls answered with a tool error, in [0, 1] (default 0).'),
  })
  .meta({ id: 'Mock', description: 'A mock MCP server per replica.' });

const EnvValue = z.union([z.string(), z.number(), z.boolean()], {
  error: 'env values must be strings (numbers and booleans are converted)',
});

/** argv of a spawned server (never run through a shell). */
export const CommandSchema = z.array(z.string()).min(1);
/** Environment of a spawned server. */
export const EnvSchema = z.record(z.string(), EnvValue);

export const ServerSchema = z
  .strictObject({
    replicas: z
      .number()
      .int()
      .min(1)
      .max(MAX_REPLICAS)
      .optional()
      .describe(`Number of replicas (endpoints), 1..${MAX_REPLICAS} (default 1).`),
    mock: MockSchema.optional(),
    command: CommandSchema.optional().describe(
      'argv of a server to spawn per replica, without a shell. Placeholders {port}, {replica}.',
    ),
    env: EnvSchema.optional().describe(
      'Extra environment of the spawned process. Placeholders {port}, {replica}.',
    ),
    cwd: z.string().optional().describe('Working directory of the spawned process (default: current).'),
    url: z
      .string()
      .optional()
      .describe(
        'MCP endpoint URL: where a spawned HTTP server serves (placeholders {port}, {replica}), or an existing server (only {replica}).',
      ),
    transport: z
      .enum(['http', 'sse', 'stdio'])
      .optional()
      .describe(
        'For command/url servers: http (Streamable HTTP, default with url), sse (legacy), stdio (default for a command without url; no proxy, process faults only).',
      ),
    ready: DurationSchema.optional().describe(
      "Spawned servers: wait up to this long for it to answer (default 10s; not time-scaled). A stdio server: its first connect — spawn plus MCP handshake — may take this long (default: the manager's connectTimeout, 30s).",
    ),
    manager: ManagerSchema.optional().describe('Per-server overrides of the manager section (deep-merged).'),
  })
  .meta({ id: 'Server', description: 'A logical server: mock, command (spawned) or url (existing).' });

export type ServerInput = z.infer<typeof ServerSchema>;
