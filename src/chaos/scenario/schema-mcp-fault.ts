/**
 * The `mcp:` fault: an MCP-aware fault on the requests of the targeted
 * replicas, optionally only those matching a method / tool, hitting a seeded share of them, with exactly
 * one action. Every action of the contract is part of the schema; which ones this version can apply, and
 * to which servers, is checked by the validator (check-shape.ts, check-references.ts).
 */
import { z } from 'zod';
import { DurationSchema } from './scalars.js';

export { MCP_FAULT_ACTIONS } from '../../relay/index.js';

export const McpFaultSchema = z
  .strictObject({
    match: z
      .strictObject({
        method: z.string().min(1).optional().describe('JSON-RPC method, e.g. tools/call.'),
        tool: z.string().min(1).optional().describe('Tool name (tools/call only).'),
      })
      .optional()
      .describe('Which requests (omitted: every request).'),
    share: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Share of matching requests hit (default 1), drawn from the run seed.'),
    status: z.number().int().min(400).max(599).optional().describe('Answer with this HTTP status.'),
    retryAfter: DurationSchema.optional().describe('Retry-After sent with status 429 or 503.'),
    error: z
      .strictObject({ code: z.number().int(), message: z.string() })
      .optional()
      .describe('Answer with this JSON-RPC error.'),
    delay: DurationSchema.optional().describe('Delay the answer by this long.'),
    hang: z.literal(true).optional().describe('Never answer.'),
    cutAfter: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Cut the SSE stream after N events (0: right after the headers).'),
    truncate: z.number().gt(0).lt(1).optional().describe('Send only this share of the answer body.'),
    corrupt: z.literal(true).optional().describe('Send a malformed answer.'),
    sessionExpired: z.literal(true).optional().describe('Answer as if the session expired (2025 era: 404).'),
    versionSkew: z.literal(true).optional().describe('Answer -32022 Unsupported protocol version.'),
  })
  .meta({
    id: 'McpFault',
    description: 'An MCP-aware fault on the targeted replicas: match, share and exactly one action.',
  });

export type McpFaultInput = z.infer<typeof McpFaultSchema>;
