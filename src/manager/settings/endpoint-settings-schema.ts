/**
 * The settings an endpoint may have of its own (attempt and idle timeouts, Retry-After mode), in the written
 * form of a dialect: part of the server/manager section, and alone as a config file endpoint's `settings:`.
 */
import { z } from 'zod';
import { PROTOCOL_MODES, RETRY_AFTER_MODES } from '../settings-kinds.js';
import type { EndpointSettings } from '../types.js';
import { durations, type SettingsDialect } from './dialect.js';
import { compact, RULES } from './settings-rules.js';

/** The settings an endpoint may have of its own: attempt and idle timeouts, Retry-After mode. */
export function endpointShape(dialect: SettingsDialect) {
  const { dur } = durations(dialect);
  return {
    ...dur(
      'attemptTimeout',
      "One attempt's deadline inside callTimeout (Envoy's per_try_timeout); when it passes the attempt is abandoned and the call may retry elsewhere (default: none).",
    ),
    ...dur(
      'connectTimeout',
      "Bound on the first connect: a stdio child's spawn plus the MCP handshake, an HTTP server's handshake (default 30s, enough for npx -y to download a server); reconnects keep a short limit (5s).",
    ),
    ...dur(
      'idleTimeout',
      'An attempt whose response stream brings no byte for this long fails as stream-idle (HTTP; default: none).',
    ),
    maxResponseBytes: RULES.responseBytes()
      .optional()
      .describe('HTTP: an answer larger than this many bytes fails as response-too-large (default 8388608).'),
    retryAfter: z
      .enum(RETRY_AFTER_MODES)
      .optional()
      .describe(
        'honour (default): a 429/503 with Retry-After keeps new calls off that endpoint until then; ignore: no wait.',
      ),
    protocol: z
      .enum(PROTOCOL_MODES)
      .optional()
      .describe(
        'The MCP era: auto (default; 2026-07-28 where the endpoint speaks it, else 2025-11-25, decided again when it changes), modern (2026-07-28 only), legacy (2025 only).',
      ),
  };
}

export function endpointLayer(
  s: Record<string, unknown>,
  pick: ReturnType<typeof durations>['pick'],
  ctx: z.RefinementCtx,
): Partial<EndpointSettings> {
  return compact({
    attemptTimeoutMs: pick(s, 'attemptTimeout', ctx),
    idleTimeoutMs: pick(s, 'idleTimeout', ctx),
    connectTimeoutMs: pick(s, 'connectTimeout', ctx),
    retryAfter: s.retryAfter as EndpointSettings['retryAfter'] | undefined,
    maxResponseBytes: s.maxResponseBytes as number | undefined,
    protocol: s.protocol as EndpointSettings['protocol'] | undefined,
  });
}

/** The endpoint-level settings of one dialect (a config file endpoint's `settings:`), in ms. */
export function createEndpointSettingsSchema(dialect: SettingsDialect) {
  const { pick } = durations(dialect);
  return z.strictObject(endpointShape(dialect)).transform((s, ctx) => endpointLayer(s, pick, ctx));
}
