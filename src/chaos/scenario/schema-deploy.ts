/**
 * The `deploy:` fault: a rolling deploy of the targeted replicas to a new spec — mock fields merged over
 * a mock server's, or command / env / url for a spawned or existing server — and optionally a new replica
 * count (scale out or in). Which fields go with which kind of server is checked by check-deploy.ts.
 */
import { z } from 'zod';
import { DurationSchema } from './scalars.js';
import { CommandSchema, EnvSchema, MAX_REPLICAS, MockSchema } from './schema-servers.js';

/** Defaults of a deploy (`drain` defaults to the manager's `fleet.drainMs`). */
export const DEPLOY_DEFAULTS = { maxUnavailable: 1, everyMs: 1000 } as const;

export const DeploySchema = z
  .strictObject({
    mock: MockSchema.optional().describe(
      'Mock fields of the new version, merged over the server’s (mock servers; not transport).',
    ),
    command: CommandSchema.optional().describe(
      'argv of the new version (spawned servers). Placeholders {port}, {replica}.',
    ),
    env: EnvSchema.optional().describe(
      'Environment of the new version, merged over the server’s (spawned servers).',
    ),
    url: z
      .string()
      .optional()
      .describe('URL of the new version (existing servers; spawned HTTP servers: where it serves).'),
    replicas: z
      .number()
      .int()
      .min(1)
      .max(MAX_REPLICAS)
      .optional()
      .describe('New replica count: replicas are added (scale out) or drained and removed (scale in).'),
    maxUnavailable: z
      .number()
      .int()
      .min(1)
      .max(MAX_REPLICAS)
      .optional()
      .describe('Replicas replaced at once (default 1).'),
    every: DurationSchema.optional().describe(
      'Pause after each batch, during which its new replicas are watched (default 1s).',
    ),
    drain: DurationSchema.optional().describe(
      "Longest wait for an old replica's calls in flight before it is stopped (default: the manager's fleet.drainMs).",
    ),
  })
  .meta({
    id: 'Deploy',
    description:
      'A rolling deploy: each targeted replica is replaced by one of the new version (started, admitted by the manager, then the old one drained and stopped), maxUnavailable at a time, with a watched pause between batches. A new replica that is never admitted, or whose breaker opens, is ejected or marked unhealthy while watched, halts the deploy and is replaced by the old version again.',
  });

export type DeployInput = z.infer<typeof DeploySchema>;
